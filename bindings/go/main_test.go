package invitekit

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// emulator is one invitekit-emulator process (started by PID, stopped by PID).
type emulator struct {
	cmd *exec.Cmd
	url string
}

const (
	emuTwilioSID    = "AC00000000000000000000000000000000"
	emuTwilioToken  = "emulator-twilio-token"
	emuOpenAIKey    = "sk-admin-emulator"
	emuFastlyToken  = "emulator-fastly-token"
	emuService      = "IS00000000000000000000000000000000"
	emuChannel      = "CH00000000000000000000000000000000"
	emulatorEnvName = "INVITEKIT_EMULATOR"
)

func startEmulator(seed int, extra ...string) (*emulator, error) {
	path := os.Getenv(emulatorEnvName)
	if path == "" {
		return nil, fmt.Errorf("%s is not set", emulatorEnvName)
	}
	args := append([]string{"--port", "0", "--quiet", "--seed", fmt.Sprint(seed)}, extra...)
	cmd := exec.Command(path, args...)
	cmd.Stderr = os.Stderr
	// if the test binary dies (a panic), the kernel kills the emulator too
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	e := &emulator{cmd: cmd}
	lineCh := make(chan string, 1)
	go func() {
		r := bufio.NewReader(out)
		line, _ := r.ReadString('\n')
		lineCh <- line
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case line := <-lineCh:
		i := strings.Index(line, "http://")
		if i < 0 {
			e.stop()
			return nil, fmt.Errorf("emulator: unexpected first line %q", line)
		}
		e.url = strings.TrimSpace(line[i:])
	case <-time.After(10 * time.Second):
		e.stop()
		return nil, fmt.Errorf("emulator: no URL within 10s")
	}
	return e, nil
}

// stop sends SIGTERM to the emulator's PID, waits at most 10 s, then SIGKILL.
func (e *emulator) stop() {
	if e == nil || e.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(e.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(e.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

func (e *emulator) control(method, path, body string) (int, []byte, error) {
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := controlClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func (e *emulator) addFaults(t testing.TB, specs ...string) {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString(`{"specs":[`)
	for i, s := range specs {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, "%q", s)
	}
	buf.WriteString(`]}`)
	st, body, err := e.control("POST", "/__emulator/faults", buf.String())
	if err != nil || st != 201 {
		t.Fatalf("adding faults %v: %d %s %v", specs, st, body, err)
	}
	t.Cleanup(func() { e.clearFaults() })
}

func (e *emulator) clearFaults() { _, _, _ = e.control("DELETE", "/__emulator/faults", "") }

var emu *emulator

// controlClient does not keep connections alive, so that the emulator stops at
// once (a SIGTERM waits for open keep-alive connections).
var controlClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}

func TestMain(m *testing.M) {
	flag.Parse()
	if os.Getenv(emulatorEnvName) == "" {
		fmt.Fprintf(os.Stderr, "invitekit: %s is not set: tests and examples that need invitekit-emulator are skipped "+
			"(set it to the path of the invitekit-emulator executable, e.g. build/src/emulator/invitekit-emulator)\n", emulatorEnvName)
		if f := flag.Lookup("test.run"); f != nil && f.Value.String() == "" {
			_ = flag.Set("test.run", "^Test") // examples print emulator data: skip them
		}
		os.Exit(m.Run())
	}
	var err error
	emu, err = startEmulator(25)
	if err != nil {
		fmt.Fprintf(os.Stderr, "invitekit: cannot start the emulator: %v\n", err)
		os.Exit(1)
	}
	os.Setenv("INVITEKIT_EXAMPLE_URL", emu.url)
	code := m.Run()
	emu.stop()
	os.Exit(code)
}

func needEmulator(t testing.TB) {
	t.Helper()
	if emu == nil {
		t.Skipf("%s is not set: skipping a test that needs invitekit-emulator", emulatorEnvName)
	}
}

// emuOptions are client options pointing every provider at an emulator.
func emuOptions(e *emulator) Options {
	return Options{
		Twilio:         TwilioOptions{AccountSID: emuTwilioSID, AuthToken: emuTwilioToken, BaseURL: e.url},
		OpenAI:         OpenAIOptions{AdminKey: emuOpenAIKey, BaseURL: e.url + "/v1"},
		Fastly:         FastlyOptions{APIToken: emuFastlyToken, BaseURL: e.url},
		IgnoreEnv:      true,
		NoProxyEnv:     true,
		MaxRetries:     -1,
		ConnectTimeout: 5 * time.Second,
		AttemptTimeout: 10 * time.Second,
		Jitter:         JitterNone,
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  10 * time.Millisecond,
	}
}

func newTestClient(t testing.TB, mod ...func(*Options)) *Client {
	t.Helper()
	needEmulator(t)
	o := emuOptions(emu)
	for _, f := range mod {
		f(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// newOwnEmulatorClient starts an emulator of its own (seeded with seed
// invites per list, for tests that change its data) and a client of it, both
// stopped when the test ends.
func newOwnEmulatorClient(t testing.TB, seed int) *Client {
	t.Helper()
	needEmulator(t)
	e, err := startEmulator(seed)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.stop)
	c, err := NewClient(emuOptions(e))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

var bg = context.Background()
