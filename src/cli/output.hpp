// invitekit CLI - printing objects, pages and streams of items.
#pragma once

#include <string>
#include <vector>

#include "common.hpp"

namespace ikcli {

// A borrowed pointer to one typed result of a given IK_KIND_*, with its raw
// JSON (so that printing JSON never switches on the kind).
struct Item {
  int32_t kind = IK_KIND_NONE;
  const void *ptr = nullptr;
  std::string_view raw = "null";
};

Item item_of(const ik_openai_invite *inv);
Item item_of(const ik_twilio_invite *inv);
Item item_of(const ik_twilio_user *user);
Item item_of(const ik_fastly_invitation *inv);
Item page_item(const ik_page *page, size_t i);
std::vector<std::string> table_headers(int32_t kind);
std::vector<std::string> table_row(const Item &item);

// Writes text to stdout (exits quietly with the "other" code if stdout is gone).
void write_stdout(std::string_view text);

// One object (get/create/update): JSON (pretty or compact), NDJSON (one line) or a table.
void print_object(const Context &ctx, const Item &item);
// Several objects at once (e.g. one per --identity): a JSON array, NDJSON lines or a table.
void print_objects(const Context &ctx, const std::vector<Item> &items);
// Raw JSON text produced by the CLI or the API (e.g. a delete result).
void print_json_text(const Context &ctx, std::string_view json);
// One page from a single list call: the page body (json), its items (ndjson) or a table.
void print_page(const Context &ctx, const ik_page *page);

// Streams the items of successive pages (for --all / --max-items) in constant memory.
class ItemStream {
 public:
  explicit ItemStream(const Context &ctx) : ctx_(ctx) {}
  void page(const ik_page *page);
  void finish();

 private:
  const Context &ctx_;
  std::vector<size_t> widths_;
  bool header_done_ = false;
};

// Renders a table with aligned columns.
std::string render_table(const std::vector<std::string> &headers, const std::vector<std::vector<std::string>> &rows);

}  // namespace ikcli
