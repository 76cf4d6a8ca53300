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
// Common terms are only skipped in indexes large enough for document frequency to mean much
// (the same rule as AnalyzeQuery's, for the feedback terms).
constexpr double kMinDocumentsToSkipTerms = 100;
// Norms are recomputed once an average field length has moved by this share.
constexpr double kNormDrift = 0.02;

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
  std::vector<uint32_t> lengths;
  const auto counts = CountTerms(document, /*create_terms=*/true, &lengths);
  Insert(std::move(document), std::move(lengths), counts);
  return OkStatus();
}

Status InvertedIndex::UpsertAnalyzed(IndexDocument document, const AnalyzedDocument& analysis) {
  if (document.id.empty()) {
    return InvalidArgument("document id is empty");
  }
  const size_t field_count = options_.fields.size();
  if (document.fields.size() > field_count || analysis.field_lengths.size() != field_count) {
    return InvalidArgument("document '" + document.id + "' does not have the index's " +
                           std::to_string(field_count) + " fields");
  }
  std::vector<std::pair<uint32_t, std::vector<uint32_t>>> counts;
  for (size_t i = 0; i < analysis.terms.size(); ++i) {
    const auto& o = analysis.terms[i];
    if (o.term >= postings_.size() || o.field >= field_count || o.tf == 0) {
      return InvalidArgument("document '" + document.id + "': a term number or field is unknown");
    }
    if (i > 0 &&
        (o.term < analysis.terms[i - 1].term ||
         (o.term == analysis.terms[i - 1].term && o.field <= analysis.terms[i - 1].field))) {
      return InvalidArgument("document '" + document.id + "': terms not sorted");
    }
    if (counts.empty() || counts.back().first != o.term) {
      counts.emplace_back(o.term, std::vector<uint32_t>(field_count, 0));
    }
    counts.back().second[o.field] = o.tf;
  }
  Remove(document.id);
  Insert(std::move(document), analysis.field_lengths, counts);
  return OkStatus();
}

uint32_t InvertedIndex::InternTerm(std::string_view term) {
  const auto [found, added] =
      term_ids_.try_emplace(std::string(term), static_cast<uint32_t>(postings_.size()));
  if (added) {
    postings_.emplace_back();
    df_.push_back(0);
    cf_.push_back(0);
  }
  return found->second;
}

std::vector<std::string> InvertedIndex::TermNames() const {
  std::vector<std::string> names(postings_.size());
  for (const auto& [term, id] : term_ids_) {
    if (df_[id] > 0) {
      names[id] = term;
    }
  }
  return names;
}

void InvertedIndex::ForEachAnalyzed(
    const std::function<void(const IndexDocument&, const AnalyzedDocument&)>& visit) const {
  // The posting lists are sorted by slot: one cursor per term moves through a block of
  // slots at a time, so the work is the postings plus the terms once per block.
  constexpr size_t kBlock = 16384;
  std::vector<size_t> cursor(postings_.size(), 0);
  std::vector<AnalyzedDocument> block;
  for (size_t first = 0; first < slots_.size(); first += kBlock) {
    const size_t end = std::min(slots_.size(), first + kBlock);
    block.assign(end - first, AnalyzedDocument{});
    for (size_t t = 0; t < postings_.size(); ++t) {
      const auto& list = postings_[t];
      size_t& i = cursor[t];
      for (; i < list.size() && list[i].doc < end; ++i) {
        if (live_[list[i].doc] != 0) {
          block[list[i].doc - first].terms.push_back(
              {static_cast<uint32_t>(t), list[i].field, list[i].tf});
        }
      }
    }
    for (size_t s = first; s < end; ++s) {
      if (live_[s] == 0) {
        continue;
      }
      AnalyzedDocument& analysis = block[s - first];
      analysis.field_lengths = slots_[s].field_lengths;
      analysis.field_lengths.resize(options_.fields.size(), 0);
      visit(slots_[s].document, analysis);
    }
  }
}

void InvertedIndex::Insert(IndexDocument document, std::vector<uint32_t> lengths,
                           const std::vector<std::pair<uint32_t, std::vector<uint32_t>>>& counts) {
  const auto slot = static_cast<uint32_t>(slots_.size());
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
  for (const auto& [facet, value] : document.facets) {
    auto [column, added] =
        facet_columns_.emplace(facet, static_cast<uint32_t>(facet_value_ids_.size()));
    if (added) {
      facet_value_ids_.emplace_back();
      slot_facets_.emplace_back();
    }
    auto& ids = facet_value_ids_[column->second];
    const auto value_id = ids.emplace(value, static_cast<uint32_t>(ids.size() + 1)).first->second;
    auto& by_slot = slot_facets_[column->second];
    by_slot.resize(static_cast<size_t>(slot) + 1, 0);
    by_slot[slot] = value_id;
  }
  slot_of_id_.emplace(document.id, slot);
  ++live_documents_;
  live_.push_back(1);
  norms_.insert(norms_.end(), slot_norms.begin(), slot_norms.end());
  slots_.push_back(Slot{std::move(document), std::move(lengths), true});
  RefreshNorms(/*force=*/false);
}

float InvertedIndex::ComputeNorm(size_t field, uint32_t length) const {
  return FieldNorm(options_.fields[field], length, norm_average_[field]);
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
  for (auto& by_slot : slot_facets_) {
    std::vector<uint32_t> moved(kept.size(), 0);
    for (size_t s = 0; s < by_slot.size(); ++s) {
      if (new_slot[s] != UINT32_MAX) {
        moved[new_slot[s]] = by_slot[s];
      }
    }
    by_slot = std::move(moved);
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
  return AnalyzeQuery(tokenizer_, options_, parts, static_cast<double>(live_documents_),
                      [this](const std::string& term) -> std::optional<TermStats> {
                        const auto found = term_ids_.find(term);
                        if (found == term_ids_.end()) {
                          return std::nullopt;
                        }
                        return TermStats{found->second, static_cast<double>(df_[found->second])};
                      });
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

class InvertedIndex::Source final : public CandidateSource {
 public:
  explicit Source(const InvertedIndex& index) : index_(index) {}
  double TotalTokens() const override { return index_.total_tokens_; }
  std::vector<double> CollectionFrequencies(const AnalyzedQuery& query) const override {
    std::vector<double> cf;
    cf.reserve(query.terms.size());
    for (const auto& term : query.terms) {
      cf.push_back(static_cast<double>(index_.cf_[term.term_id]));
    }
    return cf;
  }
  double TermIdf(const std::string& term) const override { return index_.TermIdf(term); }
  void TermCounts(uint32_t doc, const AnalyzedQuery& query, std::vector<double>* tf,
                  double* length) const override {
    *length = 0;
    for (const uint32_t field_length : index_.slots_[doc].field_lengths) {
      *length += field_length;
    }
    tf->assign(query.terms.size(), 0.0);
    for (size_t i = 0; i < query.terms.size(); ++i) {
      const auto& list = index_.postings_[query.terms[i].term_id];
      auto it = std::lower_bound(list.begin(), list.end(), doc,
                                 [](const Posting& p, uint32_t d) { return p.doc < d; });
      for (; it != list.end() && it->doc == doc; ++it) {
        (*tf)[i] += it->tf;
      }
    }
  }
  std::vector<std::string> FieldTexts(uint32_t doc) const override {
    return index_.slots_[doc].document.fields;
  }

 private:
  const InvertedIndex& index_;
};

std::vector<SearchHit> InvertedIndex::Search(const SearchQuery& query,
                                             const AnalyzedQuery& analyzed) const {
  const size_t want = CandidateDepth(options_, query.limit);
  std::vector<Scored> candidates = options_.prf_docs > 0
                                       ? TopDocs(query, Expand(query, analyzed), want)
                                       : TopDocs(query, analyzed, want);
  RerankCandidates(options_, tokenizer_, query.parts, analyzed, Source(*this), &candidates);
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
    const double idf = Idf(n, df);
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
  uint32_t position = 0;  // in AnalyzedQuery::terms
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
  const auto saturate = [k1](double tfn) { return Saturate(tfn, k1); };
  std::vector<Cursor> cursors;
  cursors.reserve(analyzed.terms.size());
  for (size_t position = 0; position < analyzed.terms.size(); ++position) {
    const auto& term = analyzed.terms[position];
    const auto& list = postings_[term.term_id];
    if (list.empty()) {
      continue;
    }
    Cursor cursor;
    cursor.position = static_cast<uint32_t>(position);
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
  // The facet filters as (column, value id) pairs, checked per candidate without reading the
  // document (Matches would follow its map); a facet or value no document has matches none.
  std::vector<std::pair<const std::vector<uint32_t>*, uint32_t>> facet_checks;
  for (const auto& [facet, value] : query.filters) {
    const auto column = facet_columns_.find(facet);
    if (column == facet_columns_.end()) {
      return {};
    }
    const auto& ids = facet_value_ids_[column->second];
    const auto id = ids.find(value);
    if (id == ids.end()) {
      return {};
    }
    facet_checks.emplace_back(&slot_facets_[column->second], id->second);
  }
  const auto facets_match = [&facet_checks](uint32_t doc) {
    for (const auto& [by_slot, id] : facet_checks) {
      if (doc >= by_slot->size() || (*by_slot)[doc] != id) {
        return false;
      }
    }
    return true;
  };
  // The first slot at or after `doc` that the facet filters pass (UINT32_MAX: none). The
  // slots it reads are those the cursors skip, each at most once per search (docs only grow).
  const auto slots = static_cast<uint32_t>(slots_.size());
  const auto next_matching = [&](uint32_t doc) {
    for (; doc < slots; ++doc) {
      if (facets_match(doc)) {
        return doc;
      }
    }
    return UINT32_MAX;
  };
  // Moves a cursor to its first posting at or after `doc` (galloping, then binary search).
  const auto seek = [this](Cursor& cursor, uint32_t doc) {
    const auto& list = postings_[cursor.term];
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
  };
  const bool has_time = query.time_from.has_value() || query.time_to.has_value();
  double threshold = -1.0;
  size_t essential = 0;
  // cursors[essential..n) drive the candidates; the others are only probed.
  std::vector<std::pair<uint32_t, double>> contributions;  // (query position, score) of a doc
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
    if (!facet_checks.empty() && !facets_match(doc)) {
      // A selective filter: skip every posting of the slots it excludes, up to the next slot
      // it passes, instead of visiting them one by one. Excluded slots are never scored, so
      // the threshold and the results are the same.
      const uint32_t next = next_matching(doc + 1);
      if (next == UINT32_MAX) {
        break;
      }
      for (size_t i = essential; i < n; ++i) {
        seek(cursors[i], next);
      }
      continue;
    }
    const bool eligible = live_[doc] != 0 &&
                          std::find(excluded.begin(), excluded.end(), doc) == excluded.end() &&
                          (!has_time || Matches(slots_[doc], query));  // facets checked above
    double score = 0;  // running sum, for the pruning decisions
    contributions.clear();
    for (size_t i = essential; i < n; ++i) {
      Cursor& cursor = cursors[i];
      if (cursor.at < cursor.end && postings_[cursor.term][cursor.at].doc == doc) {
        if (eligible) {
          const double added = accumulate(cursor, doc);
          score += added;
          contributions.emplace_back(cursor.position, added);
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
      seek(cursor, doc);
      const double added = accumulate(cursor, doc);
      score += added;
      contributions.emplace_back(cursor.position, added);
    }
    // The canonical score (ranking.h's Bm25fScore): the same terms added in query order, so
    // any index ranking these documents finds the same value to the last bit.
    std::sort(contributions.begin(), contributions.end());
    score = 0;
    for (const auto& [position, added] : contributions) {
      if (added > 0) {
        score += added;
      }
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
  return Idf(n, static_cast<double>(df_[found->second]));
}

double InvertedIndex::Score(const AnalyzedQuery& query, std::string_view id) const {
  const auto found = slot_of_id_.find(std::string(id));
  return found == slot_of_id_.end() ? 0.0 : SlotScore(query, found->second);
}

double InvertedIndex::SlotScore(const AnalyzedQuery& query, uint32_t doc) const {
  std::vector<double> tfn(query.terms.size(), 0.0);
  for (size_t i = 0; i < query.terms.size(); ++i) {
    const auto& list = postings_[query.terms[i].term_id];
    auto it = std::lower_bound(list.begin(), list.end(), doc,
                               [](const Posting& p, uint32_t d) { return p.doc < d; });
    for (; it != list.end() && it->doc == doc; ++it) {
      tfn[i] += static_cast<float>(it->tf) * SlotNorm(doc, it->field);
    }
  }
  return Bm25fScore(query, tfn, options_.k1);
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
  std::vector<double> tfn;
  tfn.reserve(query.terms.size());
  for (const auto& term : query.terms) {
    tfn.push_back(wanted[term.term_id]);
  }
  return Bm25fScore(query, tfn, options_.k1);
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
