// The vendor npm SDKs' side of the benchmark suite (bench/run.py copies this
// file next to package.json into <builddir>/bench-node/ and runs `npm ci` there).
//
//   node sdk_bench.mjs fetch  PROVIDER BASE_URL ID WARMUP N
//       openai: client.admin.organization.invites.retrieve(ID)
//       twilio: client.chat.v2.services(IS…).users(ID).fetch()
//       fastly: no fetch operation: listInvitations({page_size: 1})
//       WARMUP untimed calls (JIT warm-up, connection set-up), then N timed
//       calls in sequence; cpu_us is process.cpuUsage() (all threads) over the
//       timed part, i.e. the marginal CPU cost of N calls.
//   node sdk_bench.mjs fetch-raw URL WARMUP N [HEADER ...]
//       the same with Node's global fetch (no SDK): the Node floor.
//   node sdk_bench.mjs list   PROVIDER BASE_URL PAGE_SIZE MAX_ITEMS
//       openai: `for await` over invites.list({limit}) (the SDK's auto-pager)
//       twilio: users.each({pageSize}) (auto-pager)
//       fastly: listInvitations page by page (the SDK has no auto-pager)
//   node sdk_bench.mjs create PROVIDER BASE_URL CONC N PREFIX WARMUP
//       WARMUP untimed creates (they open the connections), then N timed
//       creates, CONC promises in flight.
//
// Prints one JSON object: counts, wall_us, cpu_us, maxrss_kb.
import OpenAI from 'openai';
import twilio from 'twilio';
import * as Fastly from 'fastly';
import { readFileSync } from 'node:fs';

const TWILIO_SID = 'AC00000000000000000000000000000000';
const TWILIO_TOKEN = 'emulator-twilio-token';
const TWILIO_SERVICE = 'IS00000000000000000000000000000000';
const OPENAI_KEY = 'sk-admin-emulator';
const FASTLY_TOKEN = 'emulator-fastly-token';

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

function openaiClient(base) {
  // The invite methods authenticate with adminAPIKey only (api-contract.md §5.1);
  // apiKey is set to a dummy so that the constructor does not look for one.
  return new OpenAI({ apiKey: 'unused', adminAPIKey: OPENAI_KEY, baseURL: `${base}/v1` });
}

function twilioClient(base) {
  const c = twilio(TWILIO_SID, TWILIO_TOKEN);
  c.chat.baseUrl = base; // no constructor option for it (api-contract.md §5.2)
  return c;
}

function fastlyApi(base) {
  const apiClient = new Fastly.ApiClient();
  apiClient.authenticate(FASTLY_TOKEN);
  // Generated methods pass their own https://api.fastly.com basePath to
  // callApi; drop it so that apiClient.basePath applies (api-contract.md §5.3).
  apiClient.basePath = base;
  apiClient.buildUrl = function (p, pp, ppr) {
    return Fastly.ApiClient.prototype.buildUrl.call(this, p, pp, ppr, null);
  };
  return new Fastly.InvitationsApi(apiClient);
}

let sink = 0;

// VmHWM (peak RSS of this process image); process.resourceUsage().maxRSS is
// ru_maxrss, which carries over the pre-execve high-water mark of the runner.
function peakRssKb() {
  const m = /VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : process.resourceUsage().maxRSS;
}

function fetcher(provider, base, id) {
  if (provider === 'openai') {
    const c = openaiClient(base);
    return async () => {
      const inv = await c.admin.organization.invites.retrieve(id);
      sink += inv.email.length;
    };
  }
  if (provider === 'twilio') {
    const c = twilioClient(base);
    return async () => {
      const u = await c.chat.v2.services(TWILIO_SERVICE).users(id).fetch();
      sink += u.identity.length;
    };
  }
  if (provider === 'fastly') {
    const api = fastlyApi(base);
    return async () => {
      const page = await api.listInvitations({ page_size: 1 });
      if (page.data.length !== 1) throw new Error('fastly list: expected one item');
      sink += page.data[0].id.length;
    };
  }
  throw new Error(`unknown provider ${provider}`);
}

async function cmdFetch([provider, base, id, warm, n]) {
  const one = fetcher(provider, base, id);
  for (let i = 0; i < Number(warm); i++) await one();
  const w0 = nowUs(), c0 = cpuUs();
  for (let i = 0; i < Number(n); i++) await one();
  const w1 = nowUs(), c1 = cpuUs();
  return { requests: Number(n), wall_us: w1 - w0, cpu_us: c1 - c0 };
}

// Node's own fetch (undici) doing the same GETs as raw_curl's prod mode, with
// the JSON parsed: the floor of any Node client, to tell Node's cost from the SDK's.
async function cmdFetchRaw([url, warm, n, ...headerLines]) {
  const headers = {};
  for (const h of headerLines) {
    const i = h.indexOf(':');
    headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  const one = async () => {
    const r = await fetch(url, { headers });
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    sink += JSON.stringify(await r.json()).length > 0 ? 1 : 0;
  };
  for (let i = 0; i < Number(warm); i++) await one();
  const w0 = nowUs(), c0 = cpuUs();
  for (let i = 0; i < Number(n); i++) await one();
  const w1 = nowUs(), c1 = cpuUs();
  return { requests: Number(n), wall_us: w1 - w0, cpu_us: c1 - c0 };
}

async function cmdList([provider, base, pageSize, maxItems]) {
  const size = Number(pageSize), max = Number(maxItems);
  const w0 = nowUs(), c0 = cpuUs();
  let items = 0;
  if (provider === 'openai') {
    const c = openaiClient(base);
    for await (const inv of c.admin.organization.invites.list({ limit: size })) {
      sink += inv.id.length + inv.email.length;
      if (++items === max) break;
    }
  } else if (provider === 'twilio') {
    const c = twilioClient(base);
    await c.chat.v2.services(TWILIO_SERVICE).users.each({ pageSize: size, ...(max ? { limit: max } : {}) }, (u) => {
      sink += u.sid.length + u.identity.length;
      items++;
    });
  } else if (provider === 'fastly') {
    const api = fastlyApi(base);
    for (let page = 1; ; page++) {
      const res = await api.listInvitations({ page_number: page, page_size: size });
      for (const inv of res.data) {
        sink += inv.id.length;
        if (++items === max) break;
      }
      if (items === max || !res.links?.next || res.meta.current_page >= res.meta.total_pages) break;
    }
  } else {
    throw new Error(`unknown provider ${provider}`);
  }
  const w1 = nowUs(), c1 = cpuUs();
  return { items, wall_us: w1 - w0, cpu_us: c1 - c0 };
}

function creator(provider, base) {
  if (provider === 'openai') {
    const c = openaiClient(base);
    return (name) => c.admin.organization.invites.create({ email: `${name}@example.com`, role: 'reader' });
  }
  if (provider === 'twilio') {
    const c = twilioClient(base);
    return (name) => c.chat.v2.services(TWILIO_SERVICE).users.create({ identity: name });
  }
  if (provider === 'fastly') {
    const api = fastlyApi(base);
    return (name) =>
      api.createInvitation({
        invitation: { data: { type: 'invitation', attributes: { email: `${name}@example.com`, role: 'engineer' } } },
      });
  }
  throw new Error(`unknown provider ${provider}`);
}

async function cmdCreate([provider, base, conc, n, prefix, warm]) {
  const create = creator(provider, base);
  // Runs `count` creates with `conc` promises in flight.
  const phase = async (tag, count) => {
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < count; i = next++) await create(`${prefix}${tag}-${i}`);
    };
    await Promise.all(Array.from({ length: Number(conc) }, worker));
  };
  await phase('-warm', Number(warm)); // untimed: opens the connections
  const w0 = nowUs(), c0 = cpuUs();
  await phase('', Number(n));
  const w1 = nowUs(), c1 = cpuUs();
  return { created: Number(n), warmup: Number(warm), wall_us: w1 - w0, cpu_us: c1 - c0 };
}

const [cmd, ...args] = process.argv.slice(2);
const cmds = { fetch: cmdFetch, 'fetch-raw': cmdFetchRaw, list: cmdList, create: cmdCreate };
if (!cmds[cmd]) {
  console.error('usage: node sdk_bench.mjs fetch|list|create PROVIDER BASE_URL ...');
  process.exit(2);
}
try {
  const out = await cmds[cmd](args);
  out.maxrss_kb = peakRssKb();
  out.sink = sink;
  console.log(JSON.stringify(out));
  process.exit(0);
} catch (e) {
  console.error(`sdk_bench: ${cmd} ${args[0]} failed:`, e?.stack || e);
  process.exit(1);
}
