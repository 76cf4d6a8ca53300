// The classifier and the store: retraining from hand-written dispatched tickets in a real
// SQLite store, versions and activation, a corrupt stored model, the suggestion recorded at
// registration, its accuracy, and the scheduled retraining on an injected clock.
#include "adapters/classify/model_registry.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/classify/store_service_testing.h"
#include "adapters/classify/suggestion_recorder.h"
#include "adapters/sqlite/sqlite_store.h"
#include "testing/matchers.h"
#include "testing/small_city.h"

namespace hotline::adapters::classify {
namespace {

using domain::Action;
using hotline::testing::HasErrorCode;
using hotline::testing::SmallCity;

// Hand-written messages for the small city's three top-level categories, each filed under
// one of its leaves.
struct Topic {
  const char* leaf;
  std::vector<const char*> messages;
};
const std::vector<Topic>& Topics() {
  static const std::vector<Topic> topics = {
      {"城乡建设/住房保障/物业管理",
       {"小区物业不作为，电梯坏了一个月没人修", "物业公司乱收停车费，业主意见很大",
        "楼道里的灯坏了物业一直不来维修", "物业费年年上涨服务却越来越差",
        "小区绿化被物业改成了停车位", "物业保安不在岗，小区经常丢电动车",
        "房屋外墙瓷砖脱落，砸坏了楼下的车", "新房交付后墙面开裂漏水，开发商不管",
        "老旧小区改造施工进度太慢", "房屋顶楼漏水严重，维修基金申请不下来",
        "业主委员会选举被物业干预", "小区二次供水水箱多年没有清洗"}},
      {"环境保护/污染防治/噪声污染",
       {"工地夜间施工噪音太大，凌晨还在打桩", "楼下饭店油烟直排，熏得家里没法开窗",
        "化工厂晚上偷偷排放废气，气味刺鼻", "河道里有人倒污水，河水发黑发臭",
        "广场舞音响声音太大，影响休息", "附近工厂烟囱冒黑烟，空气很差",
        "垃圾中转站臭味很大，夏天苍蝇成群", "KTV噪声扰民，半夜还在唱歌",
        "养殖场粪便污染了附近的水塘", "砂石场扬尘严重，窗台上全是灰",
        "汽修店喷漆废气排放，没有任何处理", "露天焚烧垃圾，浓烟呛人"}},
      {"交通运输/公共交通/公交线路",
       {"公交车经常不按时到站，等了四十分钟", "建议增加到火车站的公交线路",
        "公交司机开车太猛，老人差点摔倒", "出租车拒载还乱要价",
        "路口红绿灯时间太短，行人过不去马路", "高速公路收费站排队太长",
        "公交站台没有遮雨棚，下雨没地方躲", "网约车司机绕路多收费", "客运站取消了到乡镇的班车",
        "道路上的大货车超载超速", "地铁站出口没有无障碍电梯", "驾驶证换证要跑好几趟"}},
  };
  return topics;
}

class ModelRegistryTest : public StoreServiceTest {
 protected:
  domain::CategoryId Cat(const char* path) { return city_->categories.FindByPath(path)->id; }

  // Registers a complaint in the township and, unless `dispatch` is false, dispatches it.
  domain::Ticket File(const std::string& text, domain::CategoryId category, bool dispatch = true,
                      domain::UnitId unit = SmallCity::kHousing) {
    auto t = service_->Register(city_->Act("op"),
                                {{"type", "投诉"},
                                 {"content", text},
                                 {"region", std::to_string(SmallCity::kStreet.value())},
                                 {"category", std::to_string(category.value())}});
    EXPECT_OK(t);
    if (dispatch) {
      EXPECT_OK(service_->Act(city_->Act("disp"), t->number,
                              {Action::kDispatch, {{"lead_unit", std::to_string(unit.value())}}}));
    }
    return *t;
  }

  // Every message three times, with different openings: 108 dispatched tickets.
  void FileHandWrittenHistory() {
    const char* openings[] = {"", "您好，我要反映：", "尊敬的领导，"};
    for (const char* opening : openings) {
      for (const Topic& topic : Topics()) {
        for (const char* m : topic.messages) {
          File(std::string(opening) + m, Cat(topic.leaf));
        }
      }
    }
  }

  static RetrainOptions SmallOptions() {
    RetrainOptions o;
    o.min_rows = 50;
    o.train.threads = 1;
    o.train.epoch = 40;
    o.train.dim = 20;
    o.train.bucket = 20000;
    o.train.min_count = 1;
    return o;
  }
};

TEST_F(ModelRegistryTest, LabelsMapToTheCategoryTree) {
  const auto& t = city_->categories;
  EXPECT_EQ(LabelOf(t, Cat("物业管理"), 1), "城乡建设");
  EXPECT_EQ(LabelOf(t, Cat("物业管理"), 2), "城乡建设/住房保障");
  EXPECT_EQ(LabelOf(t, Cat("环境保护"), 2), "环境保护");
  EXPECT_EQ(LabelOf(t, domain::CategoryId{999}, 1), "");
  EXPECT_EQ(CategoryOfLabel(t, "城乡建设"), Cat("城乡建设"));
  EXPECT_EQ(CategoryOfLabel(t, "城乡建设/住房保障"), Cat("城乡建设/住房保障"));
  EXPECT_EQ(CategoryOfLabel(t, "噪声污染"), Cat("环境保护/污染防治/噪声污染"));
  EXPECT_FALSE(CategoryOfLabel(t, "教育文体").valid());
  EXPECT_EQ(TicketText("路灯不亮", "路灯不亮，请修理"), "路灯不亮，请修理");
  EXPECT_EQ(TicketText("路灯", "东街的灯不亮"), "路灯\n东街的灯不亮");
}

TEST_F(ModelRegistryTest, RetrainsFromDispatchedTicketsStoresAndActivatesTheVersion) {
  FileHandWrittenHistory();
  // Registered but never dispatched (and labelled against their text): not training material.
  for (const char* m : Topics()[2].messages) {
    File(m, Cat("城乡建设/住房保障/房屋质量"), /*dispatch=*/false);
  }
  auto dispatched = store_->DispatchedTickets(100000);
  ASSERT_OK(dispatched);
  EXPECT_EQ(dispatched->size(), 108u);

  auto report = Retrain(*store_, city_->categories, clock_.Now(), SmallOptions());
  ASSERT_OK(report);
  EXPECT_EQ(report->rows, 108);
  EXPECT_EQ(report->n_train + report->n_test, 108);
  EXPECT_GE(report->n_test, 10);
  EXPECT_EQ(report->labels, (std::vector<std::string>{"交通运输", "城乡建设", "环境保护"}));
  // Three labels: chance is 1/3.
  EXPECT_GE(report->eval.accuracy, 0.75) << report->eval.accuracy;
  EXPECT_TRUE(report->activated);
  EXPECT_EQ(report->version, 1);
  EXPECT_FALSE(report->previous_version.has_value());

  auto active = store_->ActiveClassifierVersion();
  ASSERT_OK(active);
  EXPECT_EQ(*active, std::optional<int64_t>(1));
  auto models = store_->ListClassifierModels();
  ASSERT_OK(models);
  ASSERT_EQ(models->size(), 1u);
  EXPECT_EQ((*models)[0].trained_by, "cli");
  EXPECT_EQ((*models)[0].source, "retrain");
  EXPECT_EQ((*models)[0].training_rows, report->n_train);
  EXPECT_EQ((*models)[0].model_bytes, report->model_bytes);
  auto metrics = nlohmann::json::parse((*models)[0].metrics);
  EXPECT_DOUBLE_EQ(metrics["accuracy"].get<double>(), report->eval.accuracy);
  EXPECT_EQ(metrics["n_test"].get<int64_t>(), report->n_test);

  auto loaded = LoadStoredModel(*store_, 1);
  ASSERT_OK(loaded);
  EXPECT_EQ((*loaded)->version(), std::optional<int64_t>(1));
  auto top = (*loaded)->Predict("半夜工地打桩噪音吵得睡不着", 3);
  ASSERT_OK(top);
  EXPECT_EQ(top->front().label, "环境保护");

  // A second retraining is compared with version 1 on the same held-out tickets.
  auto second = Retrain(*store_, city_->categories, clock_.Now(), SmallOptions());
  ASSERT_OK(second);
  EXPECT_EQ(second->version, 2);
  EXPECT_EQ(second->previous_version, std::optional<int64_t>(1));
  ASSERT_TRUE(second->previous_eval.has_value());
  EXPECT_EQ(second->previous_eval->n, second->eval.n);
  EXPECT_EQ(second->activated, second->eval.accuracy >= second->previous_eval->accuracy);
  EXPECT_EQ(*store_->ActiveClassifierVersion(), std::optional<int64_t>(second->activated ? 2 : 1));

  // Forced activation, and explicit activation of another version.
  RetrainOptions forced = SmallOptions();
  forced.force_activate = true;
  auto third = Retrain(*store_, city_->categories, clock_.Now(), forced);
  ASSERT_OK(third);
  EXPECT_TRUE(third->activated);
  EXPECT_EQ(*store_->ActiveClassifierVersion(), std::optional<int64_t>(3));
  ASSERT_OK(store_->ActivateClassifierModel(1, clock_.Now()));
  EXPECT_EQ(*store_->ActiveClassifierVersion(), std::optional<int64_t>(1));
  EXPECT_THAT(store_->ActivateClassifierModel(42, clock_.Now()),
              HasErrorCode(ErrorCode::kNotFound));

  // Too few tickets: nothing is stored.
  RetrainOptions picky = SmallOptions();
  picky.min_rows = 1000;
  EXPECT_THAT(Retrain(*store_, city_->categories, clock_.Now(), picky),
              HasErrorCode(ErrorCode::kFailedPrecondition));
  EXPECT_EQ(store_->ListClassifierModels()->size(), 3u);
}

TEST_F(ModelRegistryTest, CorruptStoredModelIsAClearErrorAndNothingIsServed) {
  ports::ClassifierModelInfo info;
  info.created_at = clock_.Now();
  info.trained_by = "test";
  info.source = "import";
  info.metrics = "{}";
  auto bad = store_->AddClassifierModel(info, std::string("HLCLSF01 not really a model"), true);
  ASSERT_OK(bad);
  auto loaded = LoadStoredModel(*store_, *bad);
  EXPECT_THAT(loaded, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_NE(loaded.error().message.find("已损坏"), std::string::npos) << loaded.error().message;
  EXPECT_THAT(LoadStoredModel(*store_, 99), HasErrorCode(ErrorCode::kNotFound));

  SwappableClassifier classifier;
  ModelWatcher watcher(*store_, classifier);
  EXPECT_THAT(watcher.Refresh(), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_EQ(classifier.Current(), nullptr);
  EXPECT_THAT(classifier.Predict("噪音扰民", 3), HasErrorCode(ErrorCode::kFailedPrecondition));
  // Not retried until another version is activated.
  auto again = watcher.Refresh();
  ASSERT_OK(again);
  EXPECT_FALSE(again->has_value());

  // Registration goes on without a suggestion.
  SuggestionRecorder recorder(*service_, *store_, classifier, clock_);
  recorder.Start();
  domain::Ticket t = File("工地夜间施工噪音太大", Cat("噪声污染"));
  recorder.WaitIdle();
  EXPECT_EQ(recorder.skipped(), 1);
  EXPECT_FALSE(store_->FindClassifySuggestion(t.id)->has_value());

  // A good version activated later is picked up (hot swap).
  FileHandWrittenHistory();
  RetrainOptions o = SmallOptions();
  o.force_activate = true;
  auto report = Retrain(*store_, city_->categories, clock_.Now(), o);
  ASSERT_OK(report);
  auto served = watcher.Refresh();
  ASSERT_OK(served);
  EXPECT_EQ(*served, std::optional<int64_t>(report->version));
  EXPECT_NE(classifier.Current(), nullptr);
}

TEST_F(ModelRegistryTest, SuggestionIsRecordedAtRegistrationAndItsAccuracyComputed) {
  FileHandWrittenHistory();
  auto report = Retrain(*store_, city_->categories, clock_.Now(), SmallOptions());
  ASSERT_OK(report);
  SwappableClassifier classifier;
  ModelWatcher watcher(*store_, classifier);
  ASSERT_OK(watcher.Refresh());

  clock_.Set(*ParseInstant("2024-03-05 10:00"));
  SuggestionRecorder recorder(*service_, *store_, classifier, clock_);
  recorder.Start();
  // The dispatcher agrees (noise, to the environment bureau) ...
  domain::Ticket agreed =
      File("晚上工地施工噪音扰民，打桩声音太吵", Cat("噪声污染"), true, SmallCity::kEnvironment);
  // ... and disagrees (files a noise complaint under property management, to housing).
  domain::Ticket overruled =
      File("小区工地噪音太大，晚上打桩扰民", Cat("物业管理"), true, SmallCity::kHousing);
  recorder.WaitIdle();
  EXPECT_EQ(recorder.recorded(), 2);

  auto rec = store_->FindClassifySuggestion(agreed.id);
  ASSERT_OK(rec);
  ASSERT_TRUE(rec->has_value());
  EXPECT_EQ((*rec)->model_version, std::optional<int64_t>(report->version));
  EXPECT_EQ((*rec)->categories[0], Cat("环境保护"));
  // The directory's rule for 环境保护 (city-wide) names the environment bureau.
  EXPECT_EQ((*rec)->unit, SmallCity::kEnvironment);
  EXPECT_EQ((*rec)->at, *ParseInstant("2024-03-05 10:00"));
  auto suggestions = nlohmann::json::parse((*rec)->suggestions);
  ASSERT_EQ(suggestions.size(), 3u);
  EXPECT_EQ(suggestions[0]["label"], "环境保护");
  EXPECT_GE(suggestions[0]["confidence"].get<double>(), suggestions[1]["confidence"].get<double>());
  EXPECT_EQ(suggestions[0]["category"], Cat("环境保护").value());
  auto second = store_->FindClassifySuggestion(overruled.id);
  ASSERT_OK(second);
  ASSERT_TRUE(second->has_value());
  ASSERT_EQ((*second)->categories[0], Cat("环境保护"));

  // A ticket registered while no model is loaded has no suggestion but was dispatched.
  classifier.Swap(nullptr);
  File("公交车不按时到站", Cat("公交线路"), true, SmallCity::kTransport);
  recorder.WaitIdle();
  EXPECT_EQ(recorder.skipped(), 1);

  // The KPI on 2024-03-05: 3 dispatched, 2 suggested and judged; top 1 right for `agreed`
  // only; top 3 right for both (物业管理 lies under 城乡建设, one of the three labels); unit
  // right for `agreed` only.
  auto outcomes = store_->SuggestionOutcomes("2024-03-05", "2024-03-05");
  ASSERT_OK(outcomes);
  auto a = domain::ComputeSuggestionAccuracy(*outcomes, city_->categories, city_->org);
  EXPECT_EQ(a.dispatched, 3);
  EXPECT_EQ(a.suggested, 2);
  EXPECT_EQ(a.judged, 2);
  EXPECT_EQ(a.top1, 1);
  EXPECT_EQ(a.top3, 2);
  EXPECT_EQ(a.unit_judged, 2);
  EXPECT_EQ(a.unit_hits, 1);
  auto j = AccuracyJson(a, "2024-03-05", "2024-03-05");
  EXPECT_DOUBLE_EQ(j["top1_rate"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(j["top3_rate"].get<double>(), 1.0);
  // The history was dispatched on 2024-03-04, before the period.
  auto before = store_->SuggestionOutcomes("2024-03-04", "2024-03-04");
  ASSERT_OK(before);
  EXPECT_EQ(before->size(), 108u);
  EXPECT_TRUE(std::none_of(before->begin(), before->end(),
                           [](const domain::SuggestionOutcome& o) { return o.suggested; }));
  // Nothing was first dispatched later.
  EXPECT_TRUE(store_->SuggestionOutcomes("2024-03-06", "2024-03-31")->empty());
}

TEST_F(ModelRegistryTest, ScheduledRetrainingRunsWhenTheIntervalHasPassedOnTheInjectedClock) {
  RetrainJob off(*store_, SmallOptions(), 0);
  EXPECT_FALSE(off.Due(clock_.Now()));

  RetrainJob job(*store_, SmallOptions(), 7);
  // Too few tickets: a clear error, and no new attempt until the interval has passed.
  auto early = job.RunOnce(clock_.Now(), city_->categories);
  EXPECT_THAT(early, HasErrorCode(ErrorCode::kFailedPrecondition));
  FileHandWrittenHistory();
  auto skipped = job.RunOnce(clock_.Now() + std::chrono::hours(24), city_->categories);
  ASSERT_OK(skipped);
  EXPECT_FALSE(skipped->has_value());

  const Instant t0 = clock_.Now() + std::chrono::hours(24 * 7);
  auto first = job.RunOnce(t0, city_->categories);
  ASSERT_OK(first);
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->version, 1);
  EXPECT_TRUE((*first)->activated);
  auto models = store_->ListClassifierModels();
  ASSERT_OK(models);
  EXPECT_EQ((*models)[0].trained_by, "job");
  EXPECT_EQ((*models)[0].created_at, t0);

  // Six days later: not due; seven days after the model: due again.
  auto not_due = job.RunOnce(t0 + std::chrono::hours(24 * 6), city_->categories);
  ASSERT_OK(not_due);
  EXPECT_FALSE(not_due->has_value());
  auto again = job.RunOnce(t0 + std::chrono::hours(24 * 7), city_->categories);
  ASSERT_OK(again);
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->version, 2);
  // A fresh job (a restarted server) goes by the stored models, not by its own memory.
  RetrainJob restarted(*store_, SmallOptions(), 7);
  EXPECT_FALSE(restarted.Due(t0 + std::chrono::hours(24 * 8)));
  EXPECT_TRUE(restarted.Due(t0 + std::chrono::hours(24 * 14)));
}

}  // namespace
}  // namespace hotline::adapters::classify
