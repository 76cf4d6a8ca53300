#include "adapters/text/evaluation.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace hotline::adapters::text {

namespace {

constexpr size_t kTopK = 10;
constexpr size_t kSimilarK = 5;

// Runs body(i) for i in [0, n) on up to `threads` threads.
template <typename Body>
void ParallelFor(size_t n, size_t threads, const Body& body) {
  threads = std::max<size_t>(1, std::min(threads, n));
  std::atomic<size_t> next{0};
  const auto worker = [&] {
    for (size_t i = next++; i < n; i = next++) {
      body(i);
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) {
    pool.emplace_back(worker);
  }
  worker();
  for (auto& thread : pool) {
    thread.join();
  }
}

bool InHalf(size_t row, int half) { return half < 0 || static_cast<int>(row % 2) == half; }

int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

int64_t ParseMessageTime(const std::string& text) {
  int64_t parts[6] = {0, 0, 0, 0, 0, 0};
  size_t count = 0;
  bool in_number = false;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      if (!in_number) {
        if (count == 6) {
          break;
        }
        ++count;
        in_number = true;
      }
      parts[count - 1] = parts[count - 1] * 10 + (c - '0');
    } else {
      in_number = false;
    }
  }
  if (count < 3 || parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31) {
    return 0;
  }
  constexpr int64_t kDay = 86400;
  return DaysFromCivil(parts[0], parts[1], parts[2]) * kDay + parts[3] * 3600 + parts[4] * 60 +
         parts[5];
}

namespace {

// The text up to the end of its first sentence (。！？ or a line break), at most
// `max_chars` characters; "" if max_chars is 0.
std::string LeadSentence(const std::string& text, size_t max_chars) {
  size_t pos = 0;
  size_t chars = 0;
  while (pos < text.size() && chars < max_chars) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    const size_t width = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const std::string_view ch(text.data() + pos, std::min(width, text.size() - pos));
    pos += ch.size();
    ++chars;
    if (ch == "。" || ch == "！" || ch == "？" || ch == "\n") {
      break;
    }
  }
  return text.substr(0, pos);
}

// The spans of `text` in Chinese double quotes (“…”), one per line: replies restate the
// citizen's request there ("反映“A2区景蓉花苑物业管理有问题”的情况"). An unclosed quote ends
// the scan.
std::string QuotedSpans(const std::string& text) {
  static constexpr std::string_view kOpen = "“";
  static constexpr std::string_view kClose = "”";
  std::string spans;
  size_t pos = 0;
  while ((pos = text.find(kOpen, pos)) != std::string::npos) {
    const size_t start = pos + kOpen.size();
    const size_t end = text.find(kClose, start);
    if (end == std::string::npos) {
      break;
    }
    spans.append(text, start, end - start);
    spans += '\n';
    pos = end + kClose.size();
  }
  return spans;
}

Result<int> RequireColumn(const TsvTable& table, const char* name, const char* what) {
  const int column = table.Column(name);
  if (column < 0) {
    return InvalidArgument(std::string(what) + " has no column '" + name + "' (缺少列 " + name +
                           ")");
  }
  return column;
}

}  // namespace

Result<std::vector<IndexDocument>> SearchEvalDocuments(const TsvTable& docs,
                                                       const SearchEvalOptions& options) {
  if (docs.header.size() < 2) {
    return InvalidArgument("documents need an id column and a text column (需要编号列和文本列)");
  }
  std::vector<IndexDocument> out;
  out.reserve(docs.rows.size());
  for (size_t r = 0; r < docs.rows.size(); ++r) {
    const auto& row = docs.rows[r];
    IndexDocument doc;
    doc.id = row[0];
    if (doc.id.empty()) {
      return InvalidArgument("document line " + std::to_string(docs.line_numbers[r]) +
                             ": empty id (编号为空)");
    }
    if (row.size() == 2) {
      std::string title = LeadSentence(row[1], options.lead_chars);
      if (options.quoted_title) {
        title += QuotedSpans(row[1]);
      }
      doc.fields = {std::move(title), row[1]};
    } else {
      std::string body;
      for (size_t c = 2; c < row.size(); ++c) {
        body += row[c];
        body += '\n';
      }
      doc.fields = {row[1], body};
    }
    out.push_back(std::move(doc));
  }
  return out;
}

Result<SearchEvalReport> EvaluateSearchWith(const TsvTable& docs, const TsvTable& queries,
                                            const SearchEvalOptions& options,
                                            const SearchEvalEngine& engine) {
  if (docs.header.size() < 2 || queries.header.size() < 2) {
    return InvalidArgument(
        "documents and queries need an id column and a text column "
        "(需要编号列和文本列)");
  }
  HOTLINE_ASSIGN_OR_RETURN(auto documents, SearchEvalDocuments(docs, options));
  std::unordered_set<std::string> ids;
  for (const auto& doc : documents) {
    ids.insert(doc.id);
  }
  HOTLINE_RETURN_IF_ERROR(engine.load(std::move(documents)));
  std::vector<size_t> selected;
  for (size_t r = 0; r < queries.rows.size(); ++r) {
    if (InHalf(r, options.half)) {
      selected.push_back(r);
    }
  }
  std::vector<size_t> ranks(selected.size(), 0);  // 1-based; 0 = not in the top 10
  const bool keep_candidates = !options.candidates_path.empty();
  std::vector<std::vector<SearchHit>> candidates(keep_candidates ? selected.size() : 0);
  const size_t limit =
      keep_candidates ? std::max({kTopK, kSearchCandidates, options.candidates_depth}) : kTopK;
  ParallelFor(selected.size(), engine.threads, [&](size_t i) {
    const auto& row = queries.rows[selected[i]];
    std::vector<QueryPart> parts;
    for (size_t c = 1; c < row.size(); ++c) {
      const double weight = (c == 1 && row.size() > 2) ? options.first_column_weight : 1.0;
      parts.push_back({row[c], weight});
    }
    auto hits = engine.search(parts, limit);
    for (size_t h = 0; h < hits.size() && h < kTopK; ++h) {
      if (hits[h].id == row[0]) {
        ranks[i] = h + 1;
        break;
      }
    }
    if (keep_candidates) {
      candidates[i] = std::move(hits);
    }
  });
  if (keep_candidates) {
    FILE* out = std::fopen(options.candidates_path.c_str(), "w");
    if (out == nullptr) {
      return InvalidArgument("cannot write '" + options.candidates_path + "' (无法写入文件)");
    }
    for (size_t i = 0; i < selected.size(); ++i) {
      std::fprintf(out, "%zu\t%s", selected[i], queries.rows[selected[i]][0].c_str());
      for (const auto& hit : candidates[i]) {
        std::fprintf(out, "\t%s:%.6f", hit.id.c_str(), hit.score);
      }
      std::fputc('\n', out);
    }
    if (std::fclose(out) != 0) {
      return InvalidArgument("cannot write '" + options.candidates_path + "' (无法写入文件)");
    }
  }
  SearchEvalReport report;
  report.queries = selected.size();
  for (size_t i = 0; i < selected.size(); ++i) {
    report.missing_targets += ids.count(queries.rows[selected[i]][0]) == 0 ? 1 : 0;
    if (ranks[i] > 0) {
      report.mrr_at_10 += 1.0 / static_cast<double>(ranks[i]);
      report.recall_at_10 += 1;
      report.recall_at_1 += ranks[i] == 1 ? 1 : 0;
    }
  }
  if (report.queries > 0) {
    const auto n = static_cast<double>(report.queries);
    report.mrr_at_10 /= n;
    report.recall_at_10 /= n;
    report.recall_at_1 /= n;
  }
  return report;
}

Result<SearchEvalReport> EvaluateSearch(const Tokenizer& tokenizer, const TsvTable& docs,
                                        const TsvTable& queries, const SearchEvalOptions& options) {
  InvertedIndex index(tokenizer, options.index);
  SearchEvalEngine engine;
  engine.threads = options.threads;
  engine.load = [&index](std::vector<IndexDocument> documents) -> Status {
    for (auto& doc : documents) {
      HOTLINE_RETURN_IF_ERROR(index.Upsert(std::move(doc)));
    }
    // Normalised against the exact average lengths, as a store holding them would be.
    index.RefreshStatistics();
    return OkStatus();
  };
  engine.search = [&index](const std::vector<QueryPart>& parts, size_t limit) {
    SearchQuery query;
    query.parts = parts;
    query.limit = limit;
    return index.Search(query);
  };
  return EvaluateSearchWith(docs, queries, options, engine);
}

Result<SimilarEvalReport> EvaluateSimilar(const Tokenizer& tokenizer, const TsvTable& messages,
                                          const TsvTable& clusters,
                                          const SimilarEvalOptions& options) {
  HOTLINE_ASSIGN_OR_RETURN(const int id_column, RequireColumn(messages, "留言编号", "messages"));
  HOTLINE_ASSIGN_OR_RETURN(const int title_column, RequireColumn(messages, "留言主题", "messages"));
  HOTLINE_ASSIGN_OR_RETURN(const int text_column, RequireColumn(messages, "留言详情", "messages"));
  int time_column = messages.Column("留言时间_iso");
  if (time_column < 0) {
    time_column = messages.Column("留言时间");
  }
  HOTLINE_ASSIGN_OR_RETURN(const int cluster_column, RequireColumn(clusters, "问题ID", "clusters"));
  HOTLINE_ASSIGN_OR_RETURN(const int member_column,
                           RequireColumn(clusters, "留言编号", "clusters"));

  SimilarityFinder finder(tokenizer, options.similar);
  std::unordered_map<std::string, Report> reports;
  for (size_t r = 0; r < messages.rows.size(); ++r) {
    const auto& row = messages.rows[r];
    Report report;
    report.id = row[id_column];
    if (report.id.empty()) {
      return InvalidArgument("messages line " + std::to_string(messages.line_numbers[r]) +
                             ": empty 留言编号 (编号为空)");
    }
    report.title = row[title_column];
    report.text = row[text_column];
    report.time = time_column >= 0 ? ParseMessageTime(row[time_column]) : 0;
    HOTLINE_RETURN_IF_ERROR(finder.Upsert(report));
    reports.emplace(report.id, std::move(report));
  }
  std::unordered_map<std::string, std::string> cluster_of;
  std::vector<std::string> members;
  for (size_t r = 0; r < clusters.rows.size(); ++r) {
    const auto& row = clusters.rows[r];
    cluster_of[row[member_column]] = row[cluster_column];
    if (InHalf(r, options.half)) {
      members.push_back(row[member_column]);
    }
  }
  std::vector<double> precision(members.size(), -1.0);
  ParallelFor(members.size(), options.threads, [&](size_t i) {
    const auto found = reports.find(members[i]);
    if (found == reports.end()) {
      return;
    }
    const auto matches = finder.FindSimilar(found->second, kSimilarK);
    size_t same = 0;
    for (const auto& match : matches) {
      const auto cluster = cluster_of.find(match.id);
      same += (cluster != cluster_of.end() && cluster->second == cluster_of[members[i]]) ? 1 : 0;
    }
    precision[i] = static_cast<double>(same) / static_cast<double>(kSimilarK);
  });
  SimilarEvalReport report;
  for (const double p : precision) {
    if (p < 0) {
      ++report.missing;
      continue;
    }
    ++report.queries;
    report.precision_at_5 += p;
  }
  if (report.queries > 0) {
    report.precision_at_5 /= static_cast<double>(report.queries);
  }
  return report;
}

namespace {

Status ApplyIndexParam(const std::string& key, double value, IndexOptions* index) {
  if (key == "k1") {
    index->k1 = value;
  } else if (key == "k3") {
    index->k3 = value;
  } else if (key == "word_weight") {
    index->word_weight = value;
  } else if (key == "max_df_ratio") {
    index->max_df_ratio = value;
  } else if (key == "max_query_terms") {
    index->max_query_terms = static_cast<size_t>(value);
  } else if (key == "rerank_depth") {
    index->rerank_depth = static_cast<size_t>(value);
  } else if (key == "phrase_chars") {
    index->phrase_chars = static_cast<size_t>(value);
  } else if (key == "phrase_weight") {
    index->phrase_weight = value;
  } else if (key == "title_match_weight") {
    index->title_match_weight = value;
  } else if (key == "prf_docs") {
    index->prf_docs = static_cast<size_t>(value);
  } else if (key == "prf_terms") {
    index->prf_terms = static_cast<size_t>(value);
  } else if (key == "prf_weight") {
    index->prf_weight = value;
  } else if (key == "fusion_depth") {
    index->fusion_depth = static_cast<size_t>(value);
  } else if (key == "ql_mu") {
    index->ql_mu = value;
  } else if (key == "ql_weight") {
    index->ql_weight = value;
  } else if (key == "title_weight" && !index->fields.empty()) {
    index->fields[0].weight = value;
  } else if (key == "b_title" && !index->fields.empty()) {
    index->fields[0].b = value;
  } else if (key == "body_weight" && index->fields.size() > 1) {
    index->fields[1].weight = value;
  } else if (key == "b_body" && index->fields.size() > 1) {
    index->fields[1].b = value;
  } else {
    return InvalidArgument("unknown parameter '" + key + "'");
  }
  return OkStatus();
}

}  // namespace

Result<std::vector<Report>> ReportsFromMessages(const TsvTable& messages) {
  HOTLINE_ASSIGN_OR_RETURN(const int id_column, RequireColumn(messages, "留言编号", "messages"));
  HOTLINE_ASSIGN_OR_RETURN(const int title_column, RequireColumn(messages, "留言主题", "messages"));
  HOTLINE_ASSIGN_OR_RETURN(const int text_column, RequireColumn(messages, "留言详情", "messages"));
  int time_column = messages.Column("留言时间_iso");
  if (time_column < 0) {
    time_column = messages.Column("留言时间");
  }
  std::vector<Report> reports;
  for (size_t r = 0; r < messages.rows.size(); ++r) {
    const auto& row = messages.rows[r];
    Report report;
    report.id = row[id_column];
    if (report.id.empty()) {
      return InvalidArgument("messages line " + std::to_string(messages.line_numbers[r]) +
                             ": empty 留言编号 (编号为空)");
    }
    report.title = row[title_column];
    report.text = row[text_column];
    report.time = time_column >= 0 ? ParseMessageTime(row[time_column]) : 0;
    reports.push_back(std::move(report));
  }
  return reports;
}

Status ApplySearchParam(const std::string& key, double value, SearchEvalOptions* options) {
  if (key == "first_column_weight") {
    options->first_column_weight = value;
    return OkStatus();
  }
  if (key == "quoted_title") {
    options->quoted_title = value != 0;
    return OkStatus();
  }
  if (key == "lead_chars") {
    options->lead_chars = static_cast<size_t>(value);
    return OkStatus();
  }
  return ApplyIndexParam(key, value, &options->index);
}

Status ApplySimilarParam(const std::string& key, double value, SimilarEvalOptions* options) {
  auto& similar = options->similar;
  if (key == "title_query_weight") {
    similar.title_query_weight = value;
  } else if (key == "candidates") {
    similar.candidates = static_cast<size_t>(value);
  } else if (key == "text_weight") {
    similar.text_weight = value;
  } else if (key == "place_weight") {
    similar.place_weight = value;
  } else if (key == "region_weight") {
    similar.region_weight = value;
  } else if (key == "time_weight") {
    similar.time_weight = value;
  } else if (key == "time_scale_days") {
    similar.time_scale_days = value;
  } else if (key == "title_title_weight") {
    similar.title_title_weight = value;
  } else {
    return ApplyIndexParam(key, value, &similar.index);
  }
  return OkStatus();
}

}  // namespace hotline::adapters::text
