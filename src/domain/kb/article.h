// Knowledge-base articles: policy answers, FAQs and service items (便民服务事项清单), with
// their lifecycle (draft → published → retired), validity period and review date. Pure
// values and validation; no I/O. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hotline::domain::kb {

enum class ArticleKind {
  kAnswer,       // a policy answer or FAQ (question → answer)
  kServiceItem,  // a service item: conditions, materials, place, time limit, fee
};

enum class ArticleStatus { kDraft, kPublished, kRetired };

std::string_view KindName(ArticleKind kind);        // "answer", "service_item"
std::string_view StatusName(ArticleStatus status);  // "draft", "published", "retired"
// Accepts the names above and the Chinese labels (问答/办事事项, 草稿/已发布/已停用).
std::optional<ArticleKind> ParseKind(std::string_view text);
std::optional<ArticleStatus> ParseStatus(std::string_view text);

// The parts of a service item beyond its name (the title) and department.
struct ServiceDetails {
  std::string conditions;  // 受理条件
  std::string materials;   // 申请材料
  std::string place;       // 办理地点
  std::string time_limit;  // 承诺时限
  std::string fee;         // 收费标准

  bool operator==(const ServiceDetails&) const = default;
};

struct Article {
  std::string id;  // stable key, e.g. "faq-12" or a service item code
  ArticleKind kind = ArticleKind::kAnswer;
  std::string title;  // the question, or the service item's name
  std::string answer;
  std::string category;
  std::string department;  // responsible department: the owner who reviews it
  std::string region;
  std::vector<std::string> keywords;
  std::string source;       // where it came from (URL, document, unit)
  std::string valid_from;   // "YYYY-MM-DD" or ""
  std::string valid_to;     // "YYYY-MM-DD" or ""
  std::string review_date;  // "YYYY-MM-DD" or "": due for review from this day
  ArticleStatus status = ArticleStatus::kPublished;
  ServiceDetails service;  // kServiceItem only

  // Set by the store, ignored when saving.
  int64_t version = 0;
  int64_t updated_at = 0;  // seconds since the epoch
  std::string updated_by;

  // Same content (everything but version and update stamps).
  bool SameContent(const Article& other) const;
};

// kInvalidArgument with a Chinese message naming the field if the id or title is empty, a
// date is not a valid YYYY-MM-DD, valid_from is after valid_to, or a service item's details
// are given on an answer.
Status Validate(const Article& article);

// True if `date` is a valid "YYYY-MM-DD" calendar date.
bool IsIsoDate(std::string_view date);

// Past its review date on `today` ("YYYY-MM-DD") and not retired.
bool IsDueForReview(const Article& article, std::string_view today);

// The text a search indexes as the body: the answer plus a service item's details, labelled.
std::string SearchBody(const Article& article);

}  // namespace hotline::domain::kb
