#include "adapters/text/ranking.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "adapters/text/utf8.h"

namespace hotline::adapters::text {

namespace {

// Common terms are only skipped in indexes large enough for document frequency to mean much.
constexpr double kMinDocumentsToSkipTerms = 100;

bool IsBigramKind(TokenKind kind) {
  return kind == TokenKind::kBigram || kind == TokenKind::kUnigram;
}

bool Better(const ScoredDoc& a, const ScoredDoc& b) {
  return a.first != b.first ? a.first > b.first : a.second < b.second;
}

}  // namespace

double Idf(double documents, double df) {
  return std::log(1.0 + (documents - df + 0.5) / (df + 0.5));
}

float FieldNorm(const FieldSpec& spec, double length, double average) {
  const double relative = average > 0 ? length / average : 1.0;
  const double denominator = 1.0 - spec.b + spec.b * relative;
  return denominator > 0 ? static_cast<float>(spec.weight / denominator) : 0.0F;
}

double Saturate(double tfn, double k1) { return tfn * (k1 + 1.0) / (k1 + tfn); }

double WeightedTf(const uint32_t* tf_by_field, const float* norms, size_t fields) {
  double sum = 0;
  for (size_t f = 0; f < fields; ++f) {
    sum += static_cast<float>(tf_by_field[f]) * norms[f];
  }
  return sum;
}

double Bm25fScore(const AnalyzedQuery& query, const std::vector<double>& tfn, double k1) {
  double score = 0;
  for (size_t i = 0; i < query.terms.size() && i < tfn.size(); ++i) {
    if (tfn[i] > 0) {
      score += query.terms[i].weight * query.terms[i].idf * Saturate(tfn[i], k1);
    }
  }
  return score;
}

double QueryLikelihood(const AnalyzedQuery& query, const std::vector<double>& tf,
                       const std::vector<double>& cf, double length, double total_tokens,
                       double mu) {
  mu = std::max(mu, 1e-9);
  double score = 0;
  double query_weight = 0;
  for (size_t i = 0; i < query.terms.size(); ++i) {
    const double weight = query.terms[i].weight;
    query_weight += weight;
    if (i < tf.size() && tf[i] > 0) {
      // Background probability of the term; never 0 for a term the document holds.
      const double background = std::max(cf[i], 1.0) / std::max(total_tokens, 1.0);
      score += weight * std::log1p(tf[i] / (mu * background));
    }
  }
  // The document-length part of the Dirichlet-smoothed likelihood, once per query weight.
  return score + query_weight * std::log(mu / (length + mu));
}

AnalyzedQuery AnalyzeQuery(const Tokenizer& tokenizer, const IndexOptions& options,
                           const std::vector<QueryPart>& parts, double documents,
                           const TermLookup& lookup) {
  struct Gathered {
    double weight = 0;
    double df = 0;
    std::string text;
  };
  std::unordered_map<uint32_t, Gathered> gathered;
  std::unordered_map<std::string, std::optional<TermStats>> seen;
  for (const auto& part : parts) {
    for (auto& token : tokenizer.Tokenize(part.text)) {
      auto found = seen.find(token.text);
      if (found == seen.end()) {
        found = seen.emplace(token.text, lookup(token.text)).first;
      }
      const auto& stats = found->second;
      if (!stats.has_value() || stats->df <= 0) {
        continue;
      }
      const double kind_weight = IsBigramKind(token.kind) ? 1.0 : options.word_weight;
      auto& term = gathered[stats->id];
      term.weight += part.weight * kind_weight;
      term.df = stats->df;
      if (term.text.empty()) {
        term.text = std::move(token.text);
      }
    }
  }
  std::vector<std::pair<AnalyzedQuery::Term, const std::string*>> terms;
  for (const auto& [term_id, term] : gathered) {
    if (documents >= kMinDocumentsToSkipTerms && term.df > options.max_df_ratio * documents) {
      continue;
    }
    const double saturated = term.weight * (options.k3 + 1.0) / (options.k3 + term.weight);
    terms.push_back({{term_id, saturated, Idf(documents, term.df)}, &term.text});
  }
  std::sort(terms.begin(), terms.end(), [](const auto& a, const auto& b) {
    const double wa = a.first.weight * a.first.idf;
    const double wb = b.first.weight * b.first.idf;
    return wa != wb ? wa > wb : *a.second < *b.second;
  });
  if (terms.size() > options.max_query_terms) {
    terms.resize(options.max_query_terms);
  }
  AnalyzedQuery query;
  for (const auto& [term, text] : terms) {
    query.terms.push_back(term);
    query.texts.push_back(*text);
  }
  return query;
}

bool HasStages(const IndexOptions& options) {
  return (options.fusion_depth > 0 && options.ql_weight > 0) ||
         (options.rerank_depth > 0 &&
          (options.phrase_weight > 0 || options.title_match_weight > 0));
}

size_t CandidateDepth(const IndexOptions& options, size_t limit) {
  size_t want = limit;
  if (options.rerank_depth > 0 && (options.phrase_weight > 0 || options.title_match_weight > 0)) {
    want = std::max(want, options.rerank_depth);
  }
  if (options.fusion_depth > 0 && options.ql_weight > 0) {
    want = std::max(want, options.fusion_depth);
  }
  return want;
}

void SortCandidates(std::vector<ScoredDoc>* candidates) {
  std::stable_sort(candidates->begin(), candidates->end(), Better);
}

namespace {

// Re-scores candidates[0, fusion_depth) by fused BM25F and query likelihood; the rest keep
// a score below all of them.
void FuseQueryLikelihood(const IndexOptions& options, const AnalyzedQuery& query,
                         const CandidateSource& source, std::vector<ScoredDoc>* candidates) {
  const size_t depth = std::min(options.fusion_depth, candidates->size());
  if (depth < 2) {
    return;
  }
  // The candidates come best first.
  const auto z_scores = [depth](const std::vector<double>& values) {
    double mean = 0;
    for (const double v : values) {
      mean += v;
    }
    mean /= static_cast<double>(depth);
    double variance = 0;
    for (const double v : values) {
      variance += (v - mean) * (v - mean);
    }
    const double sd = std::sqrt(variance / static_cast<double>(depth));
    std::vector<double> z(values.size(), 0.0);
    if (sd > 1e-12) {
      for (size_t i = 0; i < values.size(); ++i) {
        z[i] = (values[i] - mean) / sd;
      }
    }
    return z;
  };
  const std::vector<double> cf = source.CollectionFrequencies(query);
  const double total_tokens = source.TotalTokens();
  std::vector<double> bm25(depth);
  std::vector<double> likelihood(depth);
  std::vector<double> tf;
  for (size_t i = 0; i < depth; ++i) {
    bm25[i] = (*candidates)[i].first;
    double length = 0;
    source.TermCounts((*candidates)[i].second, query, &tf, &length);
    likelihood[i] = QueryLikelihood(query, tf, cf, length, total_tokens, options.ql_mu);
  }
  const auto zb = z_scores(bm25);
  const auto zq = z_scores(likelihood);
  const double weight = options.ql_weight;
  double lowest = std::numeric_limits<double>::max();
  for (size_t i = 0; i < depth; ++i) {
    (*candidates)[i].first = (1.0 - weight) * zb[i] + weight * zq[i];
    lowest = std::min(lowest, (*candidates)[i].first);
  }
  // Positive scores: the fused hits from 2 up, the others below 1 in their BM25F order.
  const double floor_bm25 = bm25[depth - 1];
  for (size_t i = 0; i < depth; ++i) {
    (*candidates)[i].first += 2.0 - lowest;
  }
  for (size_t i = depth; i < candidates->size(); ++i) {
    auto& score = (*candidates)[i].first;
    score = floor_bm25 > 0 ? 0.5 * score / floor_bm25 : 0.0;
  }
  std::stable_sort(candidates->begin(), candidates->begin() + static_cast<ptrdiff_t>(depth),
                   Better);
}

// The letters, digits and ideographs of a normalised text (punctuation and spaces dropped),
// so that "修好？" in a title matches "修好的问题" in a reply.
std::u32string Significant(const std::u32string& chars) {
  std::u32string out;
  out.reserve(chars.size());
  for (const char32_t c : chars) {
    if ((c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= 0x3400 && c <= 0x9FFF) ||
        (c >= 0xF900 && c <= 0xFAFF)) {
      out.push_back(c);
    }
  }
  return out;
}

// Length of the longest common substring of `a` (short) and `b`: dynamic programming over
// one row of |a| + 1 counters, O(|a| · |b|).
size_t LongestCommonRun(const std::u32string& a, const std::u32string& b,
                        std::vector<uint16_t>* row) {
  row->assign(a.size() + 1, 0);
  size_t best = 0;
  for (const char32_t c : b) {
    for (size_t i = a.size(); i > 0; --i) {
      if (a[i - 1] == c) {
        (*row)[i] = static_cast<uint16_t>((*row)[i - 1] + 1);
        best = std::max<size_t>(best, (*row)[i]);
      } else {
        (*row)[i] = 0;
      }
    }
  }
  return best;
}

uint64_t HashChars(const char32_t* chars, size_t count) {
  constexpr uint64_t kOffset = 1469598103934665603ULL;
  constexpr uint64_t kPrime = 1099511628211ULL;
  uint64_t hash = kOffset;
  for (size_t i = 0; i < count; ++i) {
    hash = (hash ^ static_cast<uint64_t>(chars[i])) * kPrime;
  }
  return hash;
}

// Re-orders candidates[0, rerank_depth) by phrase coverage and title match (see
// IndexOptions::rerank_depth).
void RerankByPhrases(const IndexOptions& options, const Tokenizer& tokenizer,
                     const std::vector<QueryPart>& parts, const CandidateSource& source,
                     std::vector<ScoredDoc>* candidates) {
  const size_t depth = std::min(options.rerank_depth, candidates->size());
  if (depth == 0) {
    return;
  }
  std::partial_sort(candidates->begin(), candidates->begin() + static_cast<ptrdiff_t>(depth),
                    candidates->end(), Better);
  const size_t gram = std::max<size_t>(2, options.phrase_chars);
  // Each query character weighs the IDF of the bigram it starts (times the part's weight).
  struct PreparedPart {
    std::u32string chars;
    std::vector<double> weights;
  };
  std::vector<PreparedPart> prepared;
  double total = 0;
  for (const auto& part : parts) {
    if (options.phrase_weight <= 0) {
      break;
    }
    PreparedPart p;
    p.chars = tokenizer.normalizer().Normalize(part.text).chars;
    p.weights.assign(p.chars.size(), 0.0);
    std::string bigram;
    for (size_t i = 0; i + 1 < p.chars.size(); ++i) {
      bigram.clear();
      internal::AppendUtf8(p.chars[i], &bigram);
      internal::AppendUtf8(p.chars[i + 1], &bigram);
      p.weights[i] = part.weight * source.TermIdf(bigram);
      total += p.weights[i];
    }
    prepared.push_back(std::move(p));
  }
  // Title match: the first query part (a ticket's or message's title), reduced to its
  // significant characters, and the longest run of it found verbatim in the document.
  std::u32string title;
  if (options.title_match_weight > 0 && !parts.empty()) {
    title = Significant(tokenizer.normalizer().Normalize(parts[0].text).chars);
    constexpr size_t kMaxTitleChars = 64;
    if (title.size() > kMaxTitleChars) {
      title.resize(kMaxTitleChars);
    }
  }
  if (total <= 0 && title.empty()) {
    return;
  }
  const double best = (*candidates)[0].first;
  std::vector<uint16_t> row;
  std::unordered_set<uint64_t> grams;
  std::vector<bool> covered;
  for (size_t c = 0; c < depth; ++c) {
    auto& [score, doc] = (*candidates)[c];
    grams.clear();
    size_t run = 0;
    for (const auto& field : source.FieldTexts(doc)) {
      const std::u32string chars = tokenizer.normalizer().Normalize(field).chars;
      if (options.phrase_weight > 0) {
        for (size_t i = 0; i + gram <= chars.size(); ++i) {
          grams.insert(HashChars(chars.data() + i, gram));
        }
      }
      if (!title.empty() && run < title.size()) {
        run = std::max(run, LongestCommonRun(title, Significant(chars), &row));
      }
    }
    double hit = 0;
    for (const auto& p : prepared) {
      covered.assign(p.chars.size(), false);
      for (size_t i = 0; i + gram <= p.chars.size(); ++i) {
        if (grams.count(HashChars(p.chars.data() + i, gram)) > 0) {
          std::fill(covered.begin() + static_cast<ptrdiff_t>(i),
                    covered.begin() + static_cast<ptrdiff_t>(i + gram), true);
        }
      }
      for (size_t i = 0; i < p.chars.size(); ++i) {
        hit += covered[i] ? p.weights[i] : 0.0;
      }
    }
    score = score / best + (total > 0 ? options.phrase_weight * hit / total : 0.0);
    if (!title.empty()) {
      score +=
          options.title_match_weight * static_cast<double>(run) / static_cast<double>(title.size());
    }
  }
  // Hits below the re-ranked depth keep a normalised BM25 score, so they stay below.
  for (size_t c = depth; c < candidates->size(); ++c) {
    (*candidates)[c].first = (*candidates)[c].first / best;
  }
}

}  // namespace

void RerankCandidates(const IndexOptions& options, const Tokenizer& tokenizer,
                      const std::vector<QueryPart>& parts, const AnalyzedQuery& query,
                      const CandidateSource& source, std::vector<ScoredDoc>* candidates) {
  if (options.fusion_depth > 0 && options.ql_weight > 0) {
    FuseQueryLikelihood(options, query, source, candidates);
  }
  if (options.rerank_depth > 0 && (options.phrase_weight > 0 || options.title_match_weight > 0)) {
    RerankByPhrases(options, tokenizer, parts, source, candidates);
    SortCandidates(candidates);
  }
}

}  // namespace hotline::adapters::text
