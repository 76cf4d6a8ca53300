// text_eval: the `hotline eval search|similar` figures without linking the whole CLI (for
// quick tuning runs while other modules are being edited).
//
//   text_eval search DOCS.tsv QUERIES.tsv [--half 0|1] [--candidates OUT.tsv] [key=value ...]
//   text_eval similar MESSAGES.tsv CLUSTERS.tsv [--half 0|1] [key=value ...]
//   text_eval tokens FILE.tsv   (each row's first column, then each other column's tokens)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "adapters/text/evaluation.h"
#include "adapters/text/tokenizer.h"
#include "adapters/text/tsv.h"

namespace {

namespace text = hotline::adapters::text;

int Usage() {
  std::fprintf(stderr,
               "usage: text_eval search|similar FILE1 FILE2 [--half 0|1] [--candidates OUT.tsv] "
               "[--depth N] [key=value ...]\n       text_eval tokens FILE.tsv\n");
  return 2;
}

// Prints each row of a TSV file as: its first column, then for every other column a tab and
// the column's tokens as "kind:term" separated by spaces (for trying first-stage ideas
// outside the index, docs/search.md round 6).
int PrintTokens(const char* path) {
  auto table = text::ReadTsvFile(path);
  auto tokenizer = text::Tokenizer::CreateDefault();
  if (!table.has_value() || !tokenizer.has_value()) {
    std::fprintf(stderr, "text_eval: cannot read the input or create the tokenizer\n");
    return 1;
  }
  for (const auto& row : table->rows) {
    std::string line = row.empty() ? std::string() : row[0];
    for (size_t c = 1; c < row.size(); ++c) {
      line += '\t';
      bool first = true;
      for (const auto& token : (*tokenizer)->Tokenize(row[c])) {
        if (!first) {
          line += ' ';
        }
        first = false;
        line += text::TokenKindName(token.kind);
        line += ':';
        line += token.text;
      }
    }
    std::printf("%s\n", line.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "tokens") == 0) {
    return PrintTokens(argv[2]);
  }
  if (argc < 4) {
    return Usage();
  }
  const std::string mode = argv[1];
  auto first = text::ReadTsvFile(argv[2]);
  auto second = text::ReadTsvFile(argv[3]);
  auto tokenizer = text::Tokenizer::CreateDefault();
  if (!first.has_value() || !second.has_value() || !tokenizer.has_value()) {
    std::fprintf(stderr, "text_eval: cannot read the inputs or create the tokenizer\n");
    return 1;
  }
  text::SearchEvalOptions search;
  text::SimilarEvalOptions similar;
  for (int i = 4; i < argc; ++i) {
    if (std::strcmp(argv[i], "--half") == 0 && i + 1 < argc) {
      search.half = similar.half = std::atoi(argv[++i]);
      continue;
    }
    if (std::strcmp(argv[i], "--depth") == 0 && i + 1 < argc) {
      search.candidates_depth = static_cast<size_t>(std::atoi(argv[++i]));
      continue;
    }
    if (std::strcmp(argv[i], "--candidates") == 0 && i + 1 < argc) {
      search.candidates_path = argv[++i];
      continue;
    }
    const std::string param = argv[i];
    const size_t eq = param.find('=');
    if (eq == std::string::npos) {
      return Usage();
    }
    const double value = std::strtod(param.c_str() + eq + 1, nullptr);
    const auto status = mode == "search"
                            ? text::ApplySearchParam(param.substr(0, eq), value, &search)
                            : text::ApplySimilarParam(param.substr(0, eq), value, &similar);
    if (!status.has_value()) {
      std::fprintf(stderr, "text_eval: %s\n", status.error().message.c_str());
      return 2;
    }
  }
  if (mode == "search") {
    const auto report = text::EvaluateSearch(**tokenizer, *first, *second, search);
    if (!report.has_value()) {
      std::fprintf(stderr, "text_eval: %s\n", report.error().message.c_str());
      return 1;
    }
    std::printf("{\"queries\":%zu,\"mrr@10\":%.4f,\"recall@1\":%.4f,\"recall@10\":%.4f}\n",
                report->queries, report->mrr_at_10, report->recall_at_1, report->recall_at_10);
  } else if (mode == "similar") {
    const auto report = text::EvaluateSimilar(**tokenizer, *first, *second, similar);
    if (!report.has_value()) {
      std::fprintf(stderr, "text_eval: %s\n", report.error().message.c_str());
      return 1;
    }
    std::printf("{\"queries\":%zu,\"precision@5\":%.4f}\n", report->queries,
                report->precision_at_5);
  } else {
    return Usage();
  }
  return 0;
}
