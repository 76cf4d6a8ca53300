#include "domain/privacy.h"

#include <gtest/gtest.h>

#include "testing/small_city.h"

namespace hotline::domain {
namespace {

using hotline::testing::SmallCity;

Ticket Dispatched(UnitId lead) {
  Ticket t;
  t.number = "SM1";
  t.citizen_name = "张三丰";
  t.citizen_phone = "13812345678";
  t.lead_unit = lead;
  t.dispatching_unit = SmallCity::kCentre;
  t.state = TicketState::kDispatched;
  return t;
}

TEST(Privacy, MasksPhonesAndNames) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("12345"), "***45");
  EXPECT_EQ(MaskPhone(""), "");
  EXPECT_EQ(MaskName("张三丰"), "张**");
  EXPECT_EQ(MaskName("李"), "李*");
}

TEST(Privacy, DataScopeFollowsTheUnits) {
  auto city = hotline::testing::MakeSmallCity();
  Ticket t = Dispatched(SmallCity::kTownship);
  t.dispatching_unit = SmallCity::kCountyHub;
  EXPECT_TRUE(MayView(city->Act("town"), t, city->org));
  EXPECT_TRUE(MayView(city->Act("hub"), t, city->org));  // the platform above it
  EXPECT_FALSE(MayView(city->Act("housing"), t, city->org));
  EXPECT_TRUE(MayView(city->Act("disp"), t, city->org));
  EXPECT_TRUE(MayView(city->Act("boss"), t, city->org));
  t.co_units = {SmallCity::kHousing};
  EXPECT_TRUE(MayView(city->Act("housing"), t, city->org));
  EXPECT_FALSE(MayView(city->Act("env"), t, city->org));
}

TEST(Privacy, UnitsSeeMaskedDataAndNeverAWhistleBlower) {
  auto city = hotline::testing::MakeSmallCity();
  Ticket t = Dispatched(SmallCity::kHousing);
  EXPECT_EQ(ForViewer(city->Act("cb"), t).citizen_phone, "13812345678");
  EXPECT_EQ(ForViewer(city->Act("housing"), t).citizen_phone, "138****5678");
  EXPECT_EQ(ForViewer(city->Act("boss"), t).citizen_name, "张**");
  t.confidential = true;
  EXPECT_EQ(ForViewer(city->Act("housing"), t).citizen_phone, "（保密）");
  EXPECT_EQ(ForViewer(city->Act("housing"), t).citizen_name, "（保密）");
  EXPECT_EQ(ForViewer(city->Act("disp"), t).citizen_name, "张三丰");
}

}  // namespace
}  // namespace hotline::domain
