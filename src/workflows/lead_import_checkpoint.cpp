#include "workflows/lead_import_checkpoint.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <string_view>

#include "instantly/error.hpp"

namespace instantly::workflows::detail {

namespace {

constexpr std::string_view kMagic = "instantly-lead-import\t1";

/// Reasons are free text (server messages); tabs and newlines would break the line format.
std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    char c = text[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
  }
  return out;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    auto tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Checkpoint::Checkpoint(const std::filesystem::path& path, std::string target_kind, std::string target_id,
                       std::uint64_t chunk_size) {
  std::string header = std::string(kMagic) + "\t" + target_kind + "\t" + escape(target_id) + "\t" +
                       std::to_string(chunk_size);
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0;
  if (exists) load(path, header);
  file_ = std::fopen(path.c_str(), "ab");
  if (!file_) throw Error("lead import: cannot open checkpoint " + path.string());
  bool torn_tail = false;
  if (exists) {
    std::ifstream tail(path, std::ios::binary | std::ios::ate);
    tail.seekg(-1, std::ios::end);
    char last = '\n';
    torn_tail = tail.get(last) && last != '\n';
  }
  if (!exists || torn_tail) {
    // A crash mid-write leaves a line without its newline; start on a fresh one.
    std::string line = exists ? std::string("\n") : header + "\n";
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0 ||
        ::fsync(::fileno(file_)) != 0) {
      throw Error("lead import: cannot write checkpoint " + path.string());
    }
  }
}

Checkpoint::~Checkpoint() {
  if (file_) std::fclose(file_);
}

void Checkpoint::load(const std::filesystem::path& path, const std::string& header) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("lead import: cannot read checkpoint " + path.string());
  std::string line;
  std::getline(in, line);
  if (line.rfind(kMagic, 0) != 0) throw Error("lead import: " + path.string() + " is not a lead import checkpoint");
  if (line != header) {
    throw ValidationError("lead import: checkpoint " + path.string() +
                          " belongs to another import (target or chunk size differ)");
  }
  std::unordered_map<std::uint64_t, std::vector<LeadRecord>> pending;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto fields = split_tabs(line);
    std::uint64_t chunk = 0;
    if (fields[0] == "lead" && fields.size() == 8) {
      LeadRecord record;
      std::optional<LeadOutcome> outcome = lead_outcome_from_string(fields[3]);
      if (!parse_number(fields[1], chunk) || !parse_number(fields[2], record.index) || !outcome ||
          !parse_number(fields[5], record.status)) {
        continue;  // A torn line from a crash: its chunk has no end line either.
      }
      record.outcome = *outcome;
      record.after_retry = fields[4] == "1";
      record.lead_id = unescape(fields[6]);
      record.reason = unescape(fields[7]);
      pending[chunk].push_back(std::move(record));
    } else if (fields[0] == "chunk" && (fields.size() == 3 || fields.size() == 4)) {
      std::size_t count = 0;
      if (!parse_number(fields[1], chunk) || !parse_number(fields[2], count)) continue;
      std::optional<std::uint64_t> fingerprint;
      if (fields.size() == 4) {
        std::uint64_t value = 0;
        const std::string_view hex = fields[3];
        auto [end, error] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
        if (error != std::errc() || end != hex.data() + hex.size()) continue;
        fingerprint = value;
      }
      auto it = pending.find(chunk);
      std::vector<LeadRecord> records = it == pending.end() ? std::vector<LeadRecord>{} : std::move(it->second);
      if (it != pending.end()) pending.erase(it);
      if (records.size() == count) finished_[chunk] = {std::move(records), fingerprint};
    }
  }
}

std::optional<std::vector<LeadRecord>> Checkpoint::take(std::uint64_t chunk, std::uint64_t fingerprint) {
  std::lock_guard lock(mutex_);
  auto it = finished_.find(chunk);
  if (it == finished_.end()) return std::nullopt;
  FinishedChunk finished = std::move(it->second);
  finished_.erase(it);
  // Other leads than the ones recorded: they were never sent, so they go now.
  if (finished.fingerprint && *finished.fingerprint != fingerprint) return std::nullopt;
  return std::move(finished.records);
}

void Checkpoint::record(std::uint64_t chunk, std::uint64_t fingerprint, const std::vector<LeadRecord>& records) {
  std::string text;
  std::string chunk_text = std::to_string(chunk);
  for (const LeadRecord& r : records) {
    text += "lead\t" + chunk_text + "\t" + std::to_string(r.index) + "\t" + std::string(to_string(r.outcome)) +
            (r.after_retry ? "\t1\t" : "\t0\t") + std::to_string(r.status) + "\t" + escape(r.lead_id) + "\t" +
            escape(r.reason) + "\n";
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fingerprint));
  text += "chunk\t" + chunk_text + "\t" + std::to_string(records.size()) + "\t" + hex + "\n";
  std::lock_guard lock(mutex_);
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0 ||
      ::fsync(::fileno(file_)) != 0) {
    throw Error("lead import: cannot write the checkpoint");
  }
}

}  // namespace instantly::workflows::detail
