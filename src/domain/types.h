// The hotline's vocabulary: request types, urgency, channels, roles, unit levels and
// ticket states, with their Chinese names and stable English codes (used in the store,
// the API and the CLI). Pure value types; thread-safe (immutable tables).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/strong_id.h"

namespace hotline::domain {

using UnitId = StrongId<struct UnitTag>;
using UserId = StrongId<struct UserTag>;
using RegionId = StrongId<struct RegionTag>;
using CategoryId = StrongId<struct CategoryTag>;
using TicketId = StrongId<struct TicketTag>;

// 诉求类型
enum class RequestType : uint8_t {
  kConsultation,  // 咨询
  kHelp,          // 求助
  kComplaint,     // 投诉
  kReport,        // 举报
  kSuggestion,    // 建议
  kPraise,        // 表扬
};
inline constexpr RequestType kAllRequestTypes[] = {
    RequestType::kConsultation, RequestType::kHelp,       RequestType::kComplaint,
    RequestType::kReport,       RequestType::kSuggestion, RequestType::kPraise};

// 紧急程度
enum class Urgency : uint8_t {
  kNormal,    // 普通
  kUrgent,    // 紧急
  kCritical,  // 特急
};
inline constexpr Urgency kAllUrgencies[] = {Urgency::kNormal, Urgency::kUrgent, Urgency::kCritical};

// 来源渠道
enum class Channel : uint8_t { kPhone, kWeb, kApp, kWechat, kEmail, kProvince, kOpen311 };
inline constexpr Channel kAllChannels[] = {Channel::kPhone,  Channel::kWeb,   Channel::kApp,
                                           Channel::kWechat, Channel::kEmail, Channel::kProvince,
                                           Channel::kOpen311};

// Roles of DESIGN section 1.
enum class Role : uint8_t {
  kOperator,     // 话务员
  kDispatcher,   // 派单员
  kUnitHandler,  // 承办人
  kUnitAdmin,    // 承办单位管理员
  kCallback,     // 回访员
  kSupervisor,   // 督办员
  kInspector,    // 质检员
  kLeader,       // 领导/分析
  kAdmin,        // 系统管理员
  kSystem,       // 系统/接口 (telephony, province platform, scheduler)
};
inline constexpr Role kAllRoles[] = {
    Role::kOperator,   Role::kDispatcher, Role::kUnitHandler, Role::kUnitAdmin, Role::kCallback,
    Role::kSupervisor, Role::kInspector,  Role::kLeader,      Role::kAdmin,     Role::kSystem};

// Levels of the organisation tree.
enum class UnitLevel : uint8_t {
  kProvince,  // 省级
  kCity,      // 市级
  kCounty,    // 县(市、区)级
  kTownship,  // 乡镇(街道)级
};

// What a unit is: the hotline centre itself, a platform (county/province 12345 hub that
// sub-dispatches), or a handling department.
enum class UnitKind : uint8_t { kCentre, kPlatform, kDepartment };

// 满意度
enum class Satisfaction : uint8_t {
  kSatisfied,       // 满意
  kBasicSatisfied,  // 基本满意
  kUnsatisfied,     // 不满意
};

std::string_view Code(RequestType v);
std::string_view ChineseName(RequestType v);
std::optional<RequestType> ParseRequestType(std::string_view code_or_chinese);

std::string_view Code(Urgency v);
std::string_view ChineseName(Urgency v);
std::optional<Urgency> ParseUrgency(std::string_view code_or_chinese);

std::string_view Code(Channel v);
std::string_view ChineseName(Channel v);
std::optional<Channel> ParseChannel(std::string_view code_or_chinese);

std::string_view Code(Role v);
std::string_view ChineseName(Role v);
std::optional<Role> ParseRole(std::string_view code_or_chinese);

std::string_view Code(UnitLevel v);
std::string_view ChineseName(UnitLevel v);
std::optional<UnitLevel> ParseUnitLevel(std::string_view code_or_chinese);

std::string_view Code(UnitKind v);
std::optional<UnitKind> ParseUnitKind(std::string_view code);

std::string_view Code(Satisfaction v);
std::string_view ChineseName(Satisfaction v);
std::optional<Satisfaction> ParseSatisfaction(std::string_view code_or_chinese);

}  // namespace hotline::domain
