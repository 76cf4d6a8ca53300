#include "domain/types.h"

#include <array>
#include <utility>

namespace hotline::domain {
namespace {

// One row per enumerator: code, Chinese name. Index = enumerator value.
using Names = std::pair<std::string_view, std::string_view>;

constexpr std::array<Names, 6> kRequestTypeNames{{{"consultation", "咨询"},
                                                  {"help", "求助"},
                                                  {"complaint", "投诉"},
                                                  {"report", "举报"},
                                                  {"suggestion", "建议"},
                                                  {"praise", "表扬"}}};
constexpr std::array<Names, 3> kUrgencyNames{
    {{"normal", "普通"}, {"urgent", "紧急"}, {"critical", "特急"}}};
constexpr std::array<Names, 7> kChannelNames{{{"phone", "电话"},
                                              {"web", "网站"},
                                              {"app", "移动端"},
                                              {"wechat", "微信"},
                                              {"email", "邮件"},
                                              {"province", "省平台"},
                                              {"open311", "Open311"}}};
constexpr std::array<Names, 10> kRoleNames{{{"operator", "话务员"},
                                            {"dispatcher", "派单员"},
                                            {"unit_handler", "承办人"},
                                            {"unit_admin", "承办单位管理员"},
                                            {"callback", "回访员"},
                                            {"supervisor", "督办员"},
                                            {"inspector", "质检员"},
                                            {"leader", "领导"},
                                            {"admin", "系统管理员"},
                                            {"system", "系统"}}};
constexpr std::array<Names, 4> kUnitLevelNames{
    {{"province", "省级"}, {"city", "市级"}, {"county", "县级"}, {"township", "乡镇级"}}};
constexpr std::array<Names, 3> kUnitKindNames{
    {{"centre", "热线中心"}, {"platform", "分平台"}, {"department", "承办单位"}}};
constexpr std::array<Names, 3> kSatisfactionNames{
    {{"satisfied", "满意"}, {"basic", "基本满意"}, {"unsatisfied", "不满意"}}};

template <typename E, size_t N>
std::optional<E> ParseBy(const std::array<Names, N>& names, std::string_view text) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i].first == text || names[i].second == text) {
      return static_cast<E>(i);
    }
  }
  return std::nullopt;
}

template <typename E, size_t N>
Names At(const std::array<Names, N>& names, E v) {
  auto i = static_cast<size_t>(v);
  return i < N ? names[i] : Names{"unknown", "未知"};
}

}  // namespace

std::string_view Code(RequestType v) { return At(kRequestTypeNames, v).first; }
std::string_view ChineseName(RequestType v) { return At(kRequestTypeNames, v).second; }
std::optional<RequestType> ParseRequestType(std::string_view s) {
  return ParseBy<RequestType>(kRequestTypeNames, s);
}

std::string_view Code(Urgency v) { return At(kUrgencyNames, v).first; }
std::string_view ChineseName(Urgency v) { return At(kUrgencyNames, v).second; }
std::optional<Urgency> ParseUrgency(std::string_view s) {
  return ParseBy<Urgency>(kUrgencyNames, s);
}

std::string_view Code(Channel v) { return At(kChannelNames, v).first; }
std::string_view ChineseName(Channel v) { return At(kChannelNames, v).second; }
std::optional<Channel> ParseChannel(std::string_view s) {
  return ParseBy<Channel>(kChannelNames, s);
}

std::string_view Code(Role v) { return At(kRoleNames, v).first; }
std::string_view ChineseName(Role v) { return At(kRoleNames, v).second; }
std::optional<Role> ParseRole(std::string_view s) { return ParseBy<Role>(kRoleNames, s); }

std::string_view Code(UnitLevel v) { return At(kUnitLevelNames, v).first; }
std::string_view ChineseName(UnitLevel v) { return At(kUnitLevelNames, v).second; }
std::optional<UnitLevel> ParseUnitLevel(std::string_view s) {
  return ParseBy<UnitLevel>(kUnitLevelNames, s);
}

std::string_view Code(UnitKind v) { return At(kUnitKindNames, v).first; }
std::optional<UnitKind> ParseUnitKind(std::string_view s) {
  return ParseBy<UnitKind>(kUnitKindNames, s);
}

std::string_view Code(Satisfaction v) { return At(kSatisfactionNames, v).first; }
std::string_view ChineseName(Satisfaction v) { return At(kSatisfactionNames, v).second; }
std::optional<Satisfaction> ParseSatisfaction(std::string_view s) {
  return ParseBy<Satisfaction>(kSatisfactionNames, s);
}

}  // namespace hotline::domain
