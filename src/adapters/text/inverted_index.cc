#include "adapters/text/inverted_index.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>
#include <utility>

#include "adapters/text/utf8.h"

namespace hotline::adapters::text {

namespace {

constexpr uint16_t kMaxTf = std::numeric_limits<uint16_t>::max();
// Compact once removed documents hold this share of the postings.
constexpr double kCompactDeadShare = 0.25;
constexpr size_t kCompactMinPostings = 4096;
// Common terms are only skipped in indexes large enough for document frequency to mean much.
constexpr double kMinDocumentsToSkipTerms = 100;
// Norms are recomputed once an average field length has moved by this share.
constexpr double kNormDrift = 0.02;

bool IsBigramKind(TokenKind kind) {
  return kind == TokenKind::kBigram || kind == TokenKind::kUnigram;
}

}  // namespace

InvertedIndex::InvertedIndex(const Tokenizer& tokenizer, IndexOptions options)
    : tokenizer_(tokenizer), options_(std::move(options)) {
  total_field_length_.assign(options_.fields.size(), 0.0);
  norm_average_.assign(options_.fields.size(), 0.0);
}

InvertedIndex::~InvertedIndex() = default;

std::vector<std::pair<uint32_t, std::vector<uint32_t>>> InvertedIndex::CountTerms(
    const IndexDocument& doc, bool create_terms, std::vector<uint32_t>* lengths) {
  const size_t field_count = options_.fields.size();
  std::unordered_map<uint32_t, std::vector<uint32_t>> counts;
  lengths->assign(field_count, 0);
  for (size_t f = 0; f < doc.fields.size() && f < field_count; ++f) {
    for (auto& token : tokenizer_.Tokenize(doc.fields[f])) {
      ++(*lengths)[f];
      uint32_t term_id = 0;
      const auto found = term_ids_.find(token.text);
      if (found != term_ids_.end()) {
        term_id = found->second;
      } else if (create_terms) {
        term_id = static_cast<uint32_t>(postings_.size());
        term_ids_.emplace(std::move(token.text), term_id);
        postings_.emplace_back();
        df_.push_back(0);
        cf_.push_back(0);
      } else {
        continue;
      }
      auto& per_field = counts[term_id];
      per_field.resize(field_count, 0);
      ++per_field[f];
    }
  }
  return {counts.begin(), counts.end()};
}

Status InvertedIndex::Upsert(IndexDocument document) {
  if (document.id.empty()) {
    return InvalidArgument("document id is empty");
  }
  if (document.fields.size() > options_.fields.size()) {
    return InvalidArgument("document '" + document.id + "' has " +
                           std::to_string(document.fields.size()) + " fields, the index " +
                           std::to_string(options_.fields.size()));
  }
  Remove(document.id);
  const auto slot = static_cast<uint32_t>(slots_.size());
  std::vector<uint32_t> lengths;
  const auto counts = CountTerms(document, /*create_terms=*/true, &lengths);
  std::vector<float> slot_norms(options_.fields.size());
  for (size_t f = 0; f < slot_norms.size(); ++f) {
    slot_norms[f] = ComputeNorm(f, lengths[f]);
  }
  max_tfn_.resize(postings_.size(), 0.0F);
  for (const auto& [term_id, per_field] : counts) {
    ++df_[term_id];
    auto& list = postings_[term_id];
    float tfn = 0;
    for (size_t f = 0; f < per_field.size(); ++f) {
      cf_[term_id] += per_field[f];
      if (per_field[f] > 0) {
        const auto tf = static_cast<uint16_t>(std::min<uint32_t>(per_field[f], kMaxTf));
        list.push_back({slot, tf, static_cast<uint16_t>(f)});
        tfn += static_cast<float>(tf) * slot_norms[f];
        ++postings_count_;
      }
    }
    max_tfn_[term_id] = std::max(max_tfn_[term_id], tfn);
  }
  for (size_t f = 0; f < lengths.size(); ++f) {
    total_field_length_[f] += lengths[f];
    total_tokens_ += lengths[f];
  }
  slot_of_id_.emplace(document.id, slot);
  ++live_documents_;
  live_.push_back(1);
  norms_.insert(norms_.end(), slot_norms.begin(), slot_norms.end());
  slots_.push_back(Slot{std::move(document), std::move(lengths), true});
  RefreshNorms(/*force=*/false);
  return OkStatus();
}

float InvertedIndex::ComputeNorm(size_t field, uint32_t length) const {
  const FieldSpec& spec = options_.fields[field];
  const double average = norm_average_[field];
  const double relative = average > 0 ? static_cast<double>(length) / average : 1.0;
  const double denominator = 1.0 - spec.b + spec.b * relative;
  return denominator > 0 ? static_cast<float>(spec.weight / denominator) : 0.0F;
}

void InvertedIndex::RefreshNorms(bool force) {
  const size_t field_count = options_.fields.size();
  const auto n = static_cast<double>(live_documents_);
  bool drifted = force;
  for (size_t f = 0; f < field_count && !drifted; ++f) {
    const double current = n > 0 ? total_field_length_[f] / n : 0.0;
    const double used = norm_average_[f];
    drifted = std::fabs(current - used) > kNormDrift * std::max(used, 1e-9);
  }
  if (!drifted) {
    return;
  }
  for (size_t f = 0; f < field_count; ++f) {
    norm_average_[f] = n > 0 ? total_field_length_[f] / n : 0.0;
  }
  norms_.assign(slots_.size() * field_count, 0.0F);
  for (uint32_t s = 0; s < slots_.size(); ++s) {
    for (size_t f = 0; f < field_count && f < slots_[s].field_lengths.size(); ++f) {
      norms_[static_cast<size_t>(s) * field_count + f] = ComputeNorm(f, slots_[s].field_lengths[f]);
    }
  }
  max_tfn_.assign(postings_.size(), 0.0F);
  for (size_t t = 0; t < postings_.size(); ++t) {
    const auto& list = postings_[t];
    float best = 0;
    for (size_t i = 0; i < list.size();) {
      const uint32_t doc = list[i].doc;
      float tfn = 0;
      for (; i < list.size() && list[i].doc == doc; ++i) {
        tfn += static_cast<float>(list[i].tf) * SlotNorm(doc, list[i].field);
      }
      if (live_[doc] != 0) {
        best = std::max(best, tfn);
      }
    }
    max_tfn_[t] = best;
  }
}

void InvertedIndex::Unindex(uint32_t slot_index) {
  Slot& slot = slots_[slot_index];
  std::vector<uint32_t> lengths;
  const auto counts = CountTerms(slot.document, /*create_terms=*/false, &lengths);
  for (const auto& [term_id, per_field] : counts) {
    --df_[term_id];
    for (const uint32_t tf : per_field) {
      dead_postings_ += tf > 0 ? 1 : 0;
      cf_[term_id] -= tf;
    }
  }
  for (size_t f = 0; f < slot.field_lengths.size(); ++f) {
    total_field_length_[f] -= slot.field_lengths[f];
    total_tokens_ -= slot.field_lengths[f];
  }
  slot.live = false;
  live_[slot_index] = 0;
  --live_documents_;
}

bool InvertedIndex::Remove(std::string_view id) {
  const auto found = slot_of_id_.find(std::string(id));
  if (found == slot_of_id_.end()) {
    return false;
  }
  Unindex(found->second);
  slots_[found->second].document = IndexDocument{};
  slot_of_id_.erase(found);
  if (dead_postings_ >= kCompactMinPostings &&
      static_cast<double>(dead_postings_) >
          kCompactDeadShare * static_cast<double>(postings_count_)) {
    Compact();
  } else {
    RefreshNorms(/*force=*/false);
  }
  return true;
}

void InvertedIndex::Compact() {
  std::vector<uint32_t> new_slot(slots_.size(), UINT32_MAX);
  std::vector<Slot> kept;
  kept.reserve(live_documents_);
  for (uint32_t s = 0; s < slots_.size(); ++s) {
    if (slots_[s].live) {
      new_slot[s] = static_cast<uint32_t>(kept.size());
      kept.push_back(std::move(slots_[s]));
    }
  }
  postings_count_ = 0;
  for (auto& list : postings_) {
    size_t out = 0;
    for (const Posting& posting : list) {
      const uint32_t target = new_slot[posting.doc];
      if (target != UINT32_MAX) {
        list[out++] = {target, posting.tf, posting.field};
      }
    }
    list.resize(out);
    list.shrink_to_fit();
    postings_count_ += out;
  }
  slots_ = std::move(kept);
  for (auto& [id, slot] : slot_of_id_) {
    slot = new_slot[slot];
  }
  live_.assign(slots_.size(), 1);
  dead_postings_ = 0;
  RefreshNorms(/*force=*/true);
}

const IndexDocument* InvertedIndex::Find(std::string_view id) const {
  const auto found = slot_of_id_.find(std::string(id));
  return found == slot_of_id_.end() ? nullptr : &slots_[found->second].document;
}

AnalyzedQuery InvertedIndex::Analyze(const std::vector<QueryPart>& parts) const {
  std::unordered_map<uint32_t, double> weights;
  std::unordered_map<uint32_t, std::string> texts;
  for (const auto& part : parts) {
    for (auto& token : tokenizer_.Tokenize(part.text)) {
      const auto found = term_ids_.find(token.text);
      if (found == term_ids_.end() || df_[found->second] == 0) {
        continue;
      }
      const double kind_weight = IsBigramKind(token.kind) ? 1.0 : options_.word_weight;
      weights[found->second] += part.weight * kind_weight;
      texts.emplace(found->second, std::move(token.text));
    }
  }
  AnalyzedQuery query;
  const auto n = static_cast<double>(live_documents_);
  for (const auto& [term_id, weight] : weights) {
    const auto df = static_cast<double>(df_[term_id]);
    if (n >= kMinDocumentsToSkipTerms && df > options_.max_df_ratio * n) {
      continue;
    }
    const double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    const double saturated = weight * (options_.k3 + 1.0) / (options_.k3 + weight);
    query.terms.push_back({term_id, saturated, idf});
  }
  std::sort(query.terms.begin(), query.terms.end(),
            [](const AnalyzedQuery::Term& a, const AnalyzedQuery::Term& b) {
              const double wa = a.weight * a.idf;
              const double wb = b.weight * b.idf;
              return wa != wb ? wa > wb : a.term_id < b.term_id;
            });
  if (query.terms.size() > options_.max_query_terms) {
    query.terms.resize(options_.max_query_terms);
  }
  for (const auto& term : query.terms) {
    query.texts.push_back(texts[term.term_id]);
  }
  return query;
}

bool InvertedIndex::Matches(const Slot& slot, const SearchQuery& query) const {
  if (!slot.live) {
    return false;
  }
  const IndexDocument& doc = slot.document;
  for (const auto& [facet, value] : query.filters) {
    const auto found = doc.facets.find(facet);
    if (found == doc.facets.end() || found->second != value) {
      return false;
    }
  }
  if (query.time_from.has_value() && doc.time < *query.time_from) {
    return false;
  }
  if (query.time_to.has_value() && doc.time > *query.time_to) {
    return false;
  }
  for (const auto& id : query.exclude_ids) {
    if (doc.id == id) {
      return false;
    }
  }
  return true;
}

std::vector<SearchHit> InvertedIndex::Search(const SearchQuery& query) const {
  return Search(query, Analyze(query.parts));
}

std::vector<SearchHit> InvertedIndex::Search(const SearchQuery& query,
                                             const AnalyzedQuery& analyzed) const {
  const bool rerank =
      options_.rerank_depth > 0 && (options_.phrase_weight > 0 || options_.title_match_weight > 0);
  const bool fuse = options_.fusion_depth > 0 && options_.ql_weight > 0;
  size_t want = rerank ? std::max(query.limit, options_.rerank_depth) : query.limit;
  if (fuse) {
    want = std::max(want, options_.fusion_depth);
  }
  std::vector<Scored> candidates = options_.prf_docs > 0
                                       ? TopDocs(query, Expand(query, analyzed), want)
                                       : TopDocs(query, analyzed, want);
  if (fuse) {
    FuseQueryLikelihood(analyzed, &candidates);
  }
  if (rerank) {
    RerankByPhrases(query.parts, &candidates);
    std::stable_sort(candidates.begin(), candidates.end(), [](const Scored& a, const Scored& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
  }
  const size_t limit = std::min(query.limit, candidates.size());
  std::vector<SearchHit> hits;
  hits.reserve(limit);
  for (size_t i = 0; i < limit; ++i) {
    const IndexDocument& doc = slots_[candidates[i].second].document;
    SearchHit hit{doc.id, candidates[i].first, {}};
    if (query.with_snippets) {
      size_t best_field = 0;
      for (size_t f = 0; f < doc.fields.size(); ++f) {
        if (doc.fields[f].size() > doc.fields[best_field].size()) {
          best_field = f;
        }
      }
      if (!doc.fields.empty()) {
        hit.snippet = Snippet(doc.fields[best_field], analyzed.texts);
      }
    }
    hits.push_back(std::move(hit));
  }
  return hits;
}

AnalyzedQuery InvertedIndex::Expand(const SearchQuery& query, const AnalyzedQuery& analyzed) const {
  const auto first = TopDocs(query, analyzed, options_.prf_docs);
  if (first.empty() || first.front().first <= 0) {
    return analyzed;
  }
  const auto n = static_cast<double>(live_documents_);
  std::unordered_map<uint32_t, double> feedback;
  std::unordered_map<uint32_t, uint32_t> counts;
  for (const auto& [score, slot] : first) {
    counts.clear();
    uint32_t length = 0;
    for (const auto& field : slots_[slot].document.fields) {
      for (const auto& token : tokenizer_.Tokenize(field)) {
        const auto found = term_ids_.find(token.text);
        if (found != term_ids_.end()) {
          ++counts[found->second];
          ++length;
        }
      }
    }
    const double doc_weight = score / first.front().first;
    for (const auto& [term, count] : counts) {
      feedback[term] += doc_weight * count / std::max<uint32_t>(length, 1);
    }
  }
  std::vector<AnalyzedQuery::Term> candidates;
  for (const auto& [term, weight] : feedback) {
    const auto df = static_cast<double>(df_[term]);
    if (df == 0 || (n >= kMinDocumentsToSkipTerms && df > options_.max_df_ratio * n)) {
      continue;
    }
    const double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    candidates.push_back({term, weight * idf, idf});
  }
  const size_t keep = std::min(options_.prf_terms, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<ptrdiff_t>(keep),
                    candidates.end(), [](const auto& a, const auto& b) {
                      return a.weight != b.weight ? a.weight > b.weight : a.term_id < b.term_id;
                    });
  candidates.resize(keep);
  double original = 0;
  for (const auto& term : analyzed.terms) {
    original += term.weight * term.idf;
  }
  double added = 0;
  for (const auto& term : candidates) {
    added += term.weight;  // already weight · idf
  }
  if (added <= 0) {
    return analyzed;
  }
  AnalyzedQuery expanded = analyzed;
  std::unordered_map<uint32_t, size_t> position;
  for (size_t i = 0; i < expanded.terms.size(); ++i) {
    position.emplace(expanded.terms[i].term_id, i);
  }
  // Scale so that the added terms weigh prf_weight times the original query in total.
  const double scale = options_.prf_weight * original / added;
  for (const auto& term : candidates) {
    const double weight = scale * term.weight / term.idf;
    const auto found = position.find(term.term_id);
    if (found != position.end()) {
      expanded.terms[found->second].weight += weight;
    } else {
      expanded.terms.push_back({term.term_id, weight, term.idf});
    }
  }
  return expanded;
}

namespace {

// A position in one query term's posting list.
struct Cursor {
  size_t at = 0;
  size_t end = 0;
  double weight = 0;  // query weight · idf
  double bound = 0;   // the most this term can add to any document's score
  uint32_t term = 0;
};

}  // namespace

std::vector<InvertedIndex::Scored> InvertedIndex::TopDocs(const SearchQuery& query,
                                                          const AnalyzedQuery& analyzed,
                                                          size_t want) const {
  std::vector<Scored> heap;  // the best so far; heap.front() is the worst of them
  if (want == 0) {
    return heap;
  }
  const double k1 = options_.k1;
  const auto saturate = [k1](double tf) { return tf * (k1 + 1.0) / (k1 + tf); };
  std::vector<Cursor> cursors;
  cursors.reserve(analyzed.terms.size());
  for (const auto& term : analyzed.terms) {
    const auto& list = postings_[term.term_id];
    if (list.empty()) {
      continue;
    }
    Cursor cursor;
    cursor.end = list.size();
    cursor.weight = term.weight * term.idf;
    cursor.bound = cursor.weight * saturate(max_tfn_[term.term_id]);
    cursor.term = term.term_id;
    cursors.push_back(cursor);
  }
  std::sort(cursors.begin(), cursors.end(),
            [](const Cursor& a, const Cursor& b) { return a.bound < b.bound; });
  const size_t n = cursors.size();
  std::vector<double> prefix(n);  // prefix[i]: sum of the bounds of cursors[0..i]
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += cursors[i].bound;
    prefix[i] = sum;
  }
  // Worse: lower score, or the same score and inserted later.
  const auto worse = [](const Scored& a, const Scored& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  std::vector<uint32_t> excluded;
  for (const auto& id : query.exclude_ids) {
    const auto found = slot_of_id_.find(id);
    if (found != slot_of_id_.end()) {
      excluded.push_back(found->second);
    }
  }
  const bool has_filters =
      !query.filters.empty() || query.time_from.has_value() || query.time_to.has_value();
  double threshold = -1.0;
  size_t essential = 0;  // cursors[essential..n) drive the candidates
  const auto accumulate = [&](Cursor& cursor, uint32_t doc) {
    const auto& list = postings_[cursor.term];
    double tf = 0;
    for (; cursor.at < cursor.end && list[cursor.at].doc == doc; ++cursor.at) {
      tf += list[cursor.at].tf * SlotNorm(doc, list[cursor.at].field);
    }
    return tf > 0 ? cursor.weight * saturate(tf) : 0.0;
  };
  while (essential < n) {
    uint32_t doc = UINT32_MAX;
    for (size_t i = essential; i < n; ++i) {
      if (cursors[i].at < cursors[i].end) {
        doc = std::min(doc, postings_[cursors[i].term][cursors[i].at].doc);
      }
    }
    if (doc == UINT32_MAX) {
      break;
    }
    const bool eligible = live_[doc] != 0 &&
                          std::find(excluded.begin(), excluded.end(), doc) == excluded.end() &&
                          (!has_filters || Matches(slots_[doc], query));
    double score = 0;
    for (size_t i = essential; i < n; ++i) {
      Cursor& cursor = cursors[i];
      if (cursor.at < cursor.end && postings_[cursor.term][cursor.at].doc == doc) {
        if (eligible) {
          score += accumulate(cursor, doc);
        } else {
          const auto& list = postings_[cursor.term];
          while (cursor.at < cursor.end && list[cursor.at].doc == doc) {
            ++cursor.at;
          }
        }
      }
    }
    if (!eligible) {
      continue;
    }
    // Probe the non-essential terms, strongest first, while they can still matter.
    for (size_t i = essential; i-- > 0;) {
      if (score + prefix[i] <= threshold) {
        break;
      }
      Cursor& cursor = cursors[i];
      const auto& list = postings_[cursor.term];
      // Galloping search for the first posting at or after `doc`.
      size_t step = 1;
      size_t low = cursor.at;
      size_t high = cursor.at;
      while (high < cursor.end && list[high].doc < doc) {
        low = high;
        high += step;
        step *= 2;
      }
      high = std::min(high, cursor.end);
      cursor.at = static_cast<size_t>(
          std::lower_bound(list.begin() + static_cast<ptrdiff_t>(low),
                           list.begin() + static_cast<ptrdiff_t>(high), doc,
                           [](const Posting& p, uint32_t d) { return p.doc < d; }) -
          list.begin());
      score += accumulate(cursor, doc);
    }
    if (heap.size() < want) {
      heap.emplace_back(score, doc);
      std::push_heap(heap.begin(), heap.end(), worse);
    } else if (score > heap.front().first) {
      std::pop_heap(heap.begin(), heap.end(), worse);
      heap.back() = {score, doc};
      std::push_heap(heap.begin(), heap.end(), worse);
    } else {
      continue;
    }
    if (heap.size() == want) {
      threshold = heap.front().first;
      while (essential < n && prefix[essential] <= threshold) {
        ++essential;
      }
    }
  }
  std::sort_heap(heap.begin(), heap.end(), worse);
  return heap;
}

double InvertedIndex::TermIdf(const std::string& term) const {
  const auto found = term_ids_.find(term);
  if (found == term_ids_.end() || df_[found->second] == 0) {
    return 0;
  }
  const auto n = static_cast<double>(live_documents_);
  const auto df = static_cast<double>(df_[found->second]);
  return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
}

namespace {

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

}  // namespace

void InvertedIndex::RerankByPhrases(const std::vector<QueryPart>& parts,
                                    std::vector<Scored>* candidates) const {
  const auto better = [](const Scored& a, const Scored& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  const size_t depth = std::min(options_.rerank_depth, candidates->size());
  if (depth == 0) {
    return;
  }
  std::partial_sort(candidates->begin(), candidates->begin() + static_cast<ptrdiff_t>(depth),
                    candidates->end(), better);
  const size_t gram = std::max<size_t>(2, options_.phrase_chars);
  // Each query character weighs the IDF of the bigram it starts (times the part's weight).
  struct PreparedPart {
    std::u32string chars;
    std::vector<double> weights;
  };
  std::vector<PreparedPart> prepared;
  double total = 0;
  for (const auto& part : parts) {
    if (options_.phrase_weight <= 0) {
      break;
    }
    PreparedPart p;
    p.chars = tokenizer_.normalizer().Normalize(part.text).chars;
    p.weights.assign(p.chars.size(), 0.0);
    std::string bigram;
    for (size_t i = 0; i + 1 < p.chars.size(); ++i) {
      bigram.clear();
      internal::AppendUtf8(p.chars[i], &bigram);
      internal::AppendUtf8(p.chars[i + 1], &bigram);
      p.weights[i] = part.weight * TermIdf(bigram);
      total += p.weights[i];
    }
    prepared.push_back(std::move(p));
  }
  // Title match: the first query part (a ticket's or message's title), reduced to its
  // significant characters, and the longest run of it found verbatim in the document.
  std::u32string title;
  if (options_.title_match_weight > 0 && !parts.empty()) {
    title = Significant(tokenizer_.normalizer().Normalize(parts[0].text).chars);
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
    for (const auto& field : slots_[doc].document.fields) {
      const std::u32string chars = tokenizer_.normalizer().Normalize(field).chars;
      if (options_.phrase_weight > 0) {
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
    score = score / best + (total > 0 ? options_.phrase_weight * hit / total : 0.0);
    if (!title.empty()) {
      score += options_.title_match_weight * static_cast<double>(run) /
               static_cast<double>(title.size());
    }
  }
  // Hits below the re-ranked depth keep a normalised BM25 score, so they stay below.
  for (size_t c = depth; c < candidates->size(); ++c) {
    (*candidates)[c].first = (*candidates)[c].first / best;
  }
}

double InvertedIndex::QueryLikelihood(const AnalyzedQuery& analyzed, uint32_t slot) const {
  const double mu = std::max(options_.ql_mu, 1e-9);
  double length = 0;
  for (const uint32_t field_length : slots_[slot].field_lengths) {
    length += field_length;
  }
  double score = 0;
  double query_weight = 0;
  for (const auto& term : analyzed.terms) {
    query_weight += term.weight;
    const auto& list = postings_[term.term_id];
    auto it = std::lower_bound(list.begin(), list.end(), slot,
                               [](const Posting& p, uint32_t d) { return p.doc < d; });
    double tf = 0;
    for (; it != list.end() && it->doc == slot; ++it) {
      tf += it->tf;
    }
    if (tf > 0) {
      // Background probability of the term; never 0 for a term the document holds.
      const double background =
          std::max(static_cast<double>(cf_[term.term_id]), 1.0) / std::max(total_tokens_, 1.0);
      score += term.weight * std::log1p(tf / (mu * background));
    }
  }
  // The document-length part of the Dirichlet-smoothed likelihood, once per query weight.
  return score + query_weight * std::log(mu / (length + mu));
}

void InvertedIndex::FuseQueryLikelihood(const AnalyzedQuery& analyzed,
                                        std::vector<Scored>* candidates) const {
  const size_t depth = std::min(options_.fusion_depth, candidates->size());
  if (depth < 2) {
    return;
  }
  // TopDocs returns the candidates best first.
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
  std::vector<double> bm25(depth);
  std::vector<double> likelihood(depth);
  for (size_t i = 0; i < depth; ++i) {
    bm25[i] = (*candidates)[i].first;
    likelihood[i] = QueryLikelihood(analyzed, (*candidates)[i].second);
  }
  const auto zb = z_scores(bm25);
  const auto zq = z_scores(likelihood);
  const double weight = options_.ql_weight;
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
                   [](const Scored& a, const Scored& b) {
                     return a.first != b.first ? a.first > b.first : a.second < b.second;
                   });
}

double InvertedIndex::Score(const AnalyzedQuery& query, std::string_view id) const {
  const auto found = slot_of_id_.find(std::string(id));
  if (found == slot_of_id_.end()) {
    return 0;
  }
  const uint32_t doc = found->second;
  double score = 0;
  const double k1 = options_.k1;
  for (const auto& term : query.terms) {
    const auto& list = postings_[term.term_id];
    auto it = std::lower_bound(list.begin(), list.end(), doc,
                               [](const Posting& p, uint32_t d) { return p.doc < d; });
    double tf = 0;
    for (; it != list.end() && it->doc == doc; ++it) {
      tf += it->tf * SlotNorm(doc, it->field);
    }
    if (tf > 0) {
      score += term.weight * term.idf * tf * (k1 + 1.0) / (k1 + tf);
    }
  }
  return score;
}

double InvertedIndex::ScoreUnindexed(const AnalyzedQuery& query,
                                     const IndexDocument& document) const {
  std::unordered_map<uint32_t, double> wanted;
  for (const auto& term : query.terms) {
    wanted.emplace(term.term_id, 0.0);
  }
  for (size_t f = 0; f < document.fields.size() && f < options_.fields.size(); ++f) {
    const auto tokens = tokenizer_.Tokenize(document.fields[f]);
    const double norm = ComputeNorm(f, static_cast<uint32_t>(tokens.size()));
    for (const auto& token : tokens) {
      const auto id = term_ids_.find(token.text);
      if (id == term_ids_.end()) {
        continue;
      }
      const auto found = wanted.find(id->second);
      if (found != wanted.end()) {
        found->second += norm;
      }
    }
  }
  double score = 0;
  const double k1 = options_.k1;
  for (const auto& term : query.terms) {
    const double tf = wanted[term.term_id];
    if (tf > 0) {
      score += term.weight * term.idf * tf * (k1 + 1.0) / (k1 + tf);
    }
  }
  return score;
}

std::string InvertedIndex::Snippet(std::string_view text, const std::vector<std::string>& terms,
                                   size_t max_chars, std::string_view open,
                                   std::string_view close) const {
  const std::unordered_set<std::string_view> wanted(terms.begin(), terms.end());
  const NormalizedText normalized = tokenizer_.normalizer().Normalize(text);
  const size_t char_count = normalized.chars.size();
  // Matched character ranges, in normalised characters.
  std::vector<std::pair<uint32_t, uint32_t>> matches;
  for (const auto& token : tokenizer_.Tokenize(text)) {
    if (wanted.count(token.text) == 0) {
      continue;
    }
    const auto begin_char = static_cast<uint32_t>(
        std::lower_bound(normalized.offsets.begin(), normalized.offsets.end(), token.begin) -
        normalized.offsets.begin());
    const auto end_char = static_cast<uint32_t>(
        std::lower_bound(normalized.offsets.begin(), normalized.offsets.end(), token.end) -
        normalized.offsets.begin());
    matches.emplace_back(begin_char, end_char);
  }
  std::sort(matches.begin(), matches.end());
  // Window with the most matches (two pointers over the sorted starts).
  size_t best_start = 0;
  size_t best_count = 0;
  size_t left = 0;
  for (size_t right = 0; right < matches.size(); ++right) {
    while (matches[right].first >= matches[left].first + max_chars) {
      ++left;
    }
    if (right - left + 1 > best_count) {
      best_count = right - left + 1;
      best_start = matches[left].first;
    }
  }
  // Leave a little context before the first match.
  const size_t lead = std::min<size_t>(best_start, max_chars / 8);
  const size_t window_begin = best_count == 0 ? 0 : best_start - lead;
  const size_t window_end = std::min(char_count, window_begin + max_chars);
  // Merge overlapping matches inside the window.
  std::vector<std::pair<uint32_t, uint32_t>> marks;
  for (const auto& [b, e] : matches) {
    if (b < window_begin || e > window_end) {
      continue;
    }
    if (!marks.empty() && b <= marks.back().second) {
      marks.back().second = std::max(marks.back().second, e);
    } else {
      marks.emplace_back(b, e);
    }
  }
  const auto byte_at = [&](size_t c) { return normalized.offsets[c]; };
  std::string out;
  if (window_begin > 0) {
    out += "…";
  }
  size_t cursor = window_begin;
  for (const auto& [b, e] : marks) {
    out.append(text.substr(byte_at(cursor), byte_at(b) - byte_at(cursor)));
    out.append(open);
    out.append(text.substr(byte_at(b), byte_at(e) - byte_at(b)));
    out.append(close);
    cursor = e;
  }
  out.append(text.substr(byte_at(cursor), byte_at(window_end) - byte_at(cursor)));
  if (window_end < char_count) {
    out += "…";
  }
  return out;
}

IndexStats InvertedIndex::Stats() const {
  IndexStats stats;
  stats.documents = live_documents_;
  stats.postings = postings_count_ - dead_postings_;
  size_t bytes = 0;
  for (const auto& list : postings_) {
    bytes += list.capacity() * sizeof(Posting) + sizeof(list);
  }
  for (const auto& [term, id] : term_ids_) {
    bytes += term.capacity() + sizeof(term) + sizeof(id) + 2 * sizeof(void*);
    stats.terms += df_[id] > 0 ? 1 : 0;
  }
  for (const auto& slot : slots_) {
    bytes += sizeof(Slot) + slot.document.id.capacity() + slot.field_lengths.capacity() * 4;
    for (const auto& field : slot.document.fields) {
      bytes += field.capacity() + sizeof(field);
    }
    for (const auto& [key, value] : slot.document.facets) {
      bytes += key.capacity() + value.capacity() + 4 * sizeof(void*) + 2 * sizeof(std::string);
    }
  }
  bytes += slot_of_id_.size() * (sizeof(std::string) + 4 + 2 * sizeof(void*));
  bytes += norms_.capacity() * sizeof(float) + live_.capacity() + max_tfn_.capacity() * 4;
  stats.memory_bytes = bytes;
  return stats;
}

}  // namespace hotline::adapters::text
