// Value semantics that must match Python: printing, truthiness, comparison, JSON decoding.
#include "templates/value.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace templates {
namespace {

TEST(ValueTest, PrintsLikePythonStr) {
  EXPECT_EQ(to_python_str(Value(true)), "True");
  EXPECT_EQ(to_python_str(Value()), "None");
  EXPECT_EQ(to_python_str(Value(42)), "42");
  EXPECT_EQ(to_python_str(Value(1.0)), "1.0");
  EXPECT_EQ(to_python_str(Value(0.1)), "0.1");
  EXPECT_EQ(to_python_str(Value(1e16)), "1e+16");
  EXPECT_EQ(to_python_str(Value(1e15)), "1000000000000000.0");
  EXPECT_EQ(to_python_str(Value(1.5e-5)), "1.5e-05");
  EXPECT_EQ(to_python_str(Value(0.0001)), "0.0001");
  EXPECT_EQ(to_python_str(Value(Value::List{Value("a"), Value("it's"), Value(1), Value()})),
            "['a', \"it's\", 1, None]");
}

TEST(ValueTest, TruthinessFollowsPython) {
  EXPECT_FALSE(Value(0).truthy());
  EXPECT_FALSE(Value(0.0).truthy());
  EXPECT_FALSE(Value("").truthy());
  EXPECT_FALSE(Value(Value::List{}).truthy());
  EXPECT_FALSE(Value(Map{}).truthy());
  EXPECT_TRUE(Value(Value::List{Value(0)}).truthy());
  EXPECT_TRUE(Value("0").truthy());
}

TEST(ValueTest, ComparesIntAndFloatNumerically) {
  EXPECT_TRUE(python_equal(Value(1), Value(1.0)));
  EXPECT_TRUE(python_equal(Value(true), Value(1)));
  EXPECT_FALSE(python_equal(Value(1), Value("1")));
  EXPECT_EQ(python_less(Value(1), Value(1.5)), true);
  EXPECT_EQ(python_less(Value(1), Value("a")), std::nullopt);
}

TEST(ValueTest, DecodesJsonWithDatetimeAndSafeMarkers) {
  auto v = value_from_json(nlohmann::ordered_json::parse(
      R"({"b": 1, "a": {"$datetime": "2024-03-05T14:07:09Z"}, "s": {"$safe": "<b>"}})"));
  ASSERT_TRUE(v.is_map());
  EXPECT_EQ(v.map().entries()[0].first, "b");  // insertion order kept
  ASSERT_TRUE(v.find("a")->is_datetime());
  EXPECT_EQ(v.find("a")->datetime().epoch_seconds, 1709647629);
  EXPECT_TRUE(v.find("s")->is_safe());
}

TEST(ValueTest, RejectsInvalidDatetime) {
  EXPECT_ANY_THROW(
      value_from_json(nlohmann::json::parse(R"({"$datetime": "2024-02-30T00:00:00Z"})")));
}

TEST(MapTest, KeepsOrderAndIndexesLargeMaps) {
  Map m;
  for (int i = 0; i < 20; ++i) m.set(std::string("k").append(std::to_string(i)), Value(i));
  m.set("k3", Value(300));
  EXPECT_EQ(m.size(), 20u);
  EXPECT_EQ(m.find("k3")->as_int(), 300);
  EXPECT_EQ(m.entries()[3].first, "k3");
  EXPECT_EQ(m.find("nope"), nullptr);
}

}  // namespace
}  // namespace templates
