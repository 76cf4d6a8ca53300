#include "domain/kb/article.h"

#include <array>

namespace hotline::domain::kb {

namespace {

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int ParseDigits(std::string_view text) {
  int value = 0;
  for (const char c : text) {
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::string_view KindName(ArticleKind kind) {
  switch (kind) {
    case ArticleKind::kAnswer:
      return "answer";
    case ArticleKind::kServiceItem:
      return "service_item";
  }
  return "answer";
}

std::string_view StatusName(ArticleStatus status) {
  switch (status) {
    case ArticleStatus::kDraft:
      return "draft";
    case ArticleStatus::kPublished:
      return "published";
    case ArticleStatus::kRetired:
      return "retired";
  }
  return "draft";
}

std::optional<ArticleKind> ParseKind(std::string_view text) {
  if (text == "answer" || text == "问答" || text == "faq" || text == "policy") {
    return ArticleKind::kAnswer;
  }
  if (text == "service_item" || text == "办事事项" || text == "service") {
    return ArticleKind::kServiceItem;
  }
  return std::nullopt;
}

std::optional<ArticleStatus> ParseStatus(std::string_view text) {
  if (text == "draft" || text == "草稿") {
    return ArticleStatus::kDraft;
  }
  if (text == "published" || text == "已发布") {
    return ArticleStatus::kPublished;
  }
  if (text == "retired" || text == "已停用") {
    return ArticleStatus::kRetired;
  }
  return std::nullopt;
}

bool Article::SameContent(const Article& other) const {
  return id == other.id && kind == other.kind && title == other.title && answer == other.answer &&
         category == other.category && department == other.department && region == other.region &&
         keywords == other.keywords && source == other.source && valid_from == other.valid_from &&
         valid_to == other.valid_to && review_date == other.review_date && status == other.status &&
         service == other.service;
}

bool IsIsoDate(std::string_view date) {
  constexpr size_t kLength = 10;
  if (date.size() != kLength || date[4] != '-' || date[7] != '-') {
    return false;
  }
  for (const size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') {
      return false;
    }
  }
  const int year = ParseDigits(date.substr(0, 4));
  const int month = ParseDigits(date.substr(5, 2));
  const int day = ParseDigits(date.substr(8, 2));
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) {
    return false;
  }
  const int days = kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
  return day <= days;
}

Status Validate(const Article& article) {
  if (article.id.empty()) {
    return InvalidArgument("编号(id)不能为空");
  }
  if (article.title.empty()) {
    return InvalidArgument("标题(title)不能为空");
  }
  const std::array<std::pair<const char*, const std::string*>, 3> dates = {{
      {"生效日期(valid_from)", &article.valid_from},
      {"失效日期(valid_to)", &article.valid_to},
      {"复审日期(review_date)", &article.review_date},
  }};
  for (const auto& [name, value] : dates) {
    if (!value->empty() && !IsIsoDate(*value)) {
      return InvalidArgument(std::string(name) + "不是有效日期(YYYY-MM-DD): " + *value);
    }
  }
  if (!article.valid_from.empty() && !article.valid_to.empty() &&
      article.valid_from > article.valid_to) {
    return InvalidArgument("生效日期晚于失效日期: " + article.valid_from + " > " +
                           article.valid_to);
  }
  if (article.kind == ArticleKind::kAnswer && !(article.service == ServiceDetails{})) {
    return InvalidArgument("问答类条目不能填写办事事项字段(条件、材料、地点、时限、收费)");
  }
  return OkStatus();
}

bool IsDueForReview(const Article& article, std::string_view today) {
  return article.status != ArticleStatus::kRetired && !article.review_date.empty() &&
         article.review_date < today;
}

std::string SearchBody(const Article& article) {
  std::string body = article.answer;
  const auto add = [&body](const char* label, const std::string& value) {
    if (!value.empty()) {
      body += body.empty() ? "" : "\n";
      body += label;
      body += value;
    }
  };
  add("受理条件：", article.service.conditions);
  add("申请材料：", article.service.materials);
  add("办理地点：", article.service.place);
  add("承诺时限：", article.service.time_limit);
  add("收费标准：", article.service.fee);
  return body;
}

}  // namespace hotline::domain::kb
