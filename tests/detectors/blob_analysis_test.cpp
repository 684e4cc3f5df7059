// One blob's analysis as mining runs it along a file's history: reparsed from the previous version's tree, with
// its body hashes and walk record reused, it must give exactly what a fresh analysis of the same bytes gives.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "detectors/blob_analysis.hpp"

using namespace hm::detectors;

namespace {

std::vector<std::string> described(const BlobResult& result) {
  std::vector<std::string> out;
  for (const auto& f : result.facts.functions) {
    out.push_back("function " + f.qualified_name + " " + std::to_string(f.start_line) + "-" +
                  std::to_string(f.end_line) + " " + f.body_hash);
  }
  for (const auto& s : result.facts.sites) out.push_back("site " + s.api + " " + std::to_string(s.line));
  for (const auto& f : result.findings) {
    out.push_back("finding " + f.antipattern + " " + f.function + " " + std::to_string(f.line) + " " + f.detail);
  }
  for (const auto& a : result.advice) {
    std::string line = "advice " + a.function + " " + std::to_string(a.line) + " " + a.api + " " +
                       std::to_string(a.has_tensor_parameter.value_or(2)) +
                       std::to_string(a.has_primitive_parameter.value_or(2)) +
                       std::to_string(a.has_python_side_effects.value_or(2)) +
                       std::to_string(a.is_recursive.value_or(2)) + " " + a.refactoring.value_or("-") + " " +
                       a.transformation.value_or("-") + " " + a.passing_precondition.value_or("-");
    for (const auto& failure : a.failures) line += " " + failure;
    out.push_back(line);
  }
  return out;
}

}  // namespace

TEST_CASE("analysing a blob from its previous version's parse gives what a fresh analysis gives", "[blob_analysis]") {
  const std::string base =
      "import tensorflow as tf\n"
      "counter = 0\n"
      "\n"
      "class Model(tf.keras.Model):\n"
      "    @tf.function\n"
      "    def call(self, x):\n"
      "        print('tracing')\n"
      "        return helper(x) * 2\n"
      "\n"
      "    def fit_all(self, data):\n"
      "        return [self(d).numpy() for d in data]\n"
      "\n"
      "def helper(x):\n"
      "    global counter\n"
      "    counter += 1\n"
      "    return x + counter\n"
      "\n"
      "@tf.function\n"
      "def step(model, batch, n):\n"
      "    return model(batch) + n\n"
      "\n"
      "def train(model, data):\n"
      "    for i, batch in enumerate(data):\n"
      "        step(model, batch, i)\n";
  auto with = [](std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  std::vector<std::string> versions = {base};
  // Lines above everything: every function moves (findings and advice lines move with them).
  versions.push_back("# header\nimport os\n" + versions.back());
  // The side effect leaves the callee: the hybrid caller's findings change though its own body does not.
  versions.push_back(with(versions.back(), "    global counter\n    counter += 1\n", ""));
  versions.push_back(with(versions.back(), "return x + counter", "return x + 1"));
  // A new caller with a tensor argument, and a function moved into the class.
  versions.push_back(versions.back() + "\nstep(Model(), tf.constant(1.0), 2)\n");
  versions.push_back(with(versions.back(), "\n@tf.function\ndef step(model, batch, n):\n    return model(batch) + n\n",
                          "\n    @tf.function\n    def step(self, batch, n):\n        return self(batch) + n\n"));
  versions.push_back(base);

  PythonParser parser;
  BlobOptions keep;
  keep.keep_parse = true;
  auto chained = analyse_blob(versions[0], "python", parser, keep);
  REQUIRE(chained.parsed);
  for (std::size_t i = 1; i < versions.size(); ++i) {
    INFO("version " << i);
    BlobOptions options = keep;
    options.previous = &*chained.parsed;
    auto next = analyse_blob(versions[i], "python", parser, options);
    const auto fresh = analyse_blob(versions[i], "python", parser, BlobOptions{});
    CHECK(described(next) == described(fresh));
    CHECK_FALSE(fresh.advice.empty());
    // The record was used: the functions the edit did not touch came from it.
    REQUIRE(next.parsed);
    std::size_t replayed = 0;
    for (const auto& definition : next.parsed->walk.definitions) replayed += chained.parsed->walk.by_body.count(definition.body);
    if (i != versions.size() - 1) CHECK(replayed > 0);
    chained = std::move(next);
  }
}

TEST_CASE("a new alias of an API is looked for inside functions the edit did not touch", "[blob_analysis]") {
  // `g` is untouched between the versions, so its subtree is shared; the new alias makes `fn(...)` in it a site,
  // which only a walk that enters it again (the site words changed) finds.
  const std::string before =
      "import tensorflow as tf\n"
      "\n"
      "def helper(x):\n"
      "    return x\n"
      "\n"
      "def g(y):\n"
      "    compiled = fn(helper)\n"
      "    return compiled(y)\n"
      "\n"
      "def last():\n"
      "    return 0\n";
  const std::string after = before + "\nfn = tf.function\n";
  PythonParser parser;
  BlobOptions keep;
  keep.keep_parse = true;
  keep.prefilter = false;
  auto first = analyse_blob(before, "python", parser, keep);
  REQUIRE(first.parsed);
  CHECK(first.facts.sites.empty());
  BlobOptions options = keep;
  options.previous = &*first.parsed;
  const auto second = analyse_blob(after, "python", parser, options);
  BlobOptions fresh_options;
  fresh_options.prefilter = false;
  const auto fresh = analyse_blob(after, "python", parser, fresh_options);
  REQUIRE(fresh.facts.sites.size() == 1);
  CHECK(fresh.facts.sites[0].scope == "g");
  CHECK(described(second) == described(fresh));
  // And g's definition was shared (the case the test is about): the first of its walk's definitions after helper.
  REQUIRE(second.parsed->facts_walk.definitions.size() == 3);
  CHECK(first.parsed->facts_walk.by_body.count(second.parsed->facts_walk.definitions[1].body) == 1);
}
