// Test and benchmark helper: a small synthetic labelled corpus of citizen-style messages.
// Each category has its own topic words; every message mixes a few of them with filler
// shared by all categories, so a classifier must weigh words rather than match one.
// Deterministic for a seed; header-only; thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "adapters/classify/dataset.h"

namespace hotline::adapters::classify {

inline std::vector<LabelledText> SyntheticCorpus(int per_label, uint64_t seed) {
  struct Topic {
    const char* label;
    std::array<const char*, 8> words;
  };
  static const std::array<Topic, 4> kTopics = {{
      {"交通运输",
       {"公交车", "地铁站", "红绿灯", "出租车", "高速公路", "停车场", "驾驶证", "客运站"}},
      {"教育文体", {"学校", "老师", "学生", "学费", "招生", "幼儿园", "教育局", "体育馆"}},
      {"卫生计生", {"医院", "医生", "挂号", "药品", "医保", "疫苗", "卫生院", "护士"}},
      {"环境保护", {"噪音", "污染", "垃圾", "排放", "臭味", "污水", "油烟", "扬尘"}},
  }};
  static const std::array<const char*, 10> kFiller = {"我们", "小区", "附近", "反映", "希望",
                                                      "尽快", "处理", "领导", "问题", "市民"};
  std::mt19937_64 rng(seed);
  auto pick = [&rng](size_t n) {
    return static_cast<size_t>(std::uniform_int_distribution<size_t>(0, n - 1)(rng));
  };
  std::vector<LabelledText> rows;
  for (int i = 0; i < per_label; ++i) {
    for (const Topic& topic : kTopics) {
      std::string text = "尊敬的";
      text += kFiller[pick(kFiller.size())];
      text += "：";
      for (int w = 0; w < 3; ++w) {
        text += kFiller[pick(kFiller.size())];
        text += topic.words[pick(topic.words.size())];
        text += "，";
      }
      text += kFiller[pick(kFiller.size())];
      text += "。";
      rows.push_back({topic.label, text});
    }
  }
  return rows;
}

}  // namespace hotline::adapters::classify
