#include <catch2/catch.hpp>

#include "labels/kappa.hpp"

using hm::labels::cohen_kappa;
using Pairs = std::vector<std::pair<std::string, std::string>>;

namespace {
Pairs repeat(const std::string& a, const std::string& b, int times) { return Pairs(static_cast<std::size_t>(times), {a, b}); }
Pairs concat(std::initializer_list<Pairs> parts) {
  Pairs all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}
}  // namespace

TEST_CASE("kappa: two labels, 50 items (20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no)", "[labels][kappa]") {
  // p_o = 35/50 = 0.7; A says yes 25/50, B 30/50: p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2/0.5 = 0.4.
  const auto a = cohen_kappa(concat({repeat("yes", "yes", 20), repeat("yes", "no", 5), repeat("no", "yes", 10),
                                     repeat("no", "no", 15)}));
  CHECK(a.items == 50);
  CHECK(a.agreed == 35);
  CHECK(a.observed == Approx(0.7));
  CHECK(a.expected == Approx(0.5));
  REQUIRE(a.kappa);
  CHECK(*a.kappa == Approx(0.4));
}

TEST_CASE("kappa: three categories with unequal marginals", "[labels][kappa]") {
  // Agreed 4 of 6: p_o = 2/3. A: P, A, I one third each; B: P 1/2, A 1/3, I 1/6: p_e = 1/3. kappa = (1/3)/(2/3).
  const auto a = cohen_kappa({{"Performance", "Performance"}, {"Performance", "Performance"},
                              {"API Misuse", "API Misuse"},   {"API Misuse", "Performance"},
                              {"Incompatibility", "Incompatibility"}, {"Incompatibility", "API Misuse"}});
  CHECK(a.observed == Approx(2.0 / 3.0));
  CHECK(a.expected == Approx(1.0 / 3.0));
  REQUIRE(a.kappa);
  CHECK(*a.kappa == Approx(0.5));
}

TEST_CASE("kappa: perfect agreement is 1, systematic disagreement is -1", "[labels][kappa]") {
  const auto agree = cohen_kappa({{"a", "a"}, {"b", "b"}, {"a", "a"}, {"c", "c"}});
  REQUIRE(agree.kappa);
  CHECK(*agree.kappa == Approx(1.0));
  // p_o = 0, p_e = 0.5: kappa = -0.5 / 0.5.
  const auto disagree = cohen_kappa({{"a", "b"}, {"b", "a"}});
  REQUIRE(disagree.kappa);
  CHECK(*disagree.kappa == Approx(-1.0));
}

TEST_CASE("kappa: chance agreement equal to the observed gives 0", "[labels][kappa]") {
  // A: Performance 3/4, Incompatibility 1/4; B always Performance: p_o = 0.75 = p_e.
  const auto a = cohen_kappa({{"Performance", "Performance"}, {"Incompatibility", "Performance"},
                              {"Performance", "Performance"}, {"Performance", "Performance"}});
  REQUIRE(a.kappa);
  CHECK(*a.kappa == Approx(0.0).margin(1e-12));
}

TEST_CASE("kappa: undefined without items or when both raters use one label", "[labels][kappa]") {
  const auto none = cohen_kappa({});
  CHECK(none.items == 0);
  CHECK_FALSE(none.kappa);
  const auto one_label = cohen_kappa({{"x", "x"}, {"x", "x"}});
  CHECK(one_label.observed == Approx(1.0));
  CHECK(one_label.expected == Approx(1.0));
  CHECK_FALSE(one_label.kappa);
}
