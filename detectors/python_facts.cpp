#include "detectors/python_facts.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstdio>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "detectors/body_hash.hpp"
#include "detectors/hybrid_apis.hpp"
#include "detectors/node_types.hpp"
#include "detectors/recorded_walk.hpp"
#include "detectors/text_search.hpp"

namespace hm::detectors {
namespace {

std::uint32_t line_of(TSNode node) { return ts_node_start_point(node).row + 1; }
std::uint32_t end_line_of(TSNode node) { return ts_node_end_point(node).row + 1; }

struct Scope {
  std::string qualified;  // "" for the module
  enum class Kind { Module, Class, Function } kind = Kind::Module;
  std::string class_for_self;  // the class whose methods see `self` here
};

// Where a call-form site's target must be resolved once every function is known.
struct PendingTarget {
  std::size_t site;
  std::string text;
  std::size_t scope;
};

class Extractor {
 public:
  Extractor(std::string_view source, FileFacts& facts, const BodyHashes* known, BodyHashes* computed,
            const WalkRecord* known_walk, WalkRecord* computed_walk, BodyHashMemo* memo)
      : source_(source),
        facts_(facts),
        known_hashes_(known),
        computed_hashes_(computed),
        known_walk_(known_walk),
        computed_walk_(computed_walk),
        memo_(memo) {}

  void run(TSNode root) {
    collect_imports(root);
    find_site_words();
    walk(root);
    resolve_targets();
  }

 private:
  std::string text(TSNode node) const {
    if (ts_node_is_null(node)) return {};
    const auto start = ts_node_start_byte(node);
    const auto end = ts_node_end_byte(node);
    if (start > source_.size() || end > source_.size() || end < start) return {};
    return std::string(source_.substr(start, end - start));
  }

  // ---- names and imports ----------------------------------------------------------------------------------

  // "a.b.c" for identifier/attribute chains, else nullopt. Iterative: attribute chains can be very long.
  std::optional<std::string> dotted(TSNode node) const {
    std::vector<std::string> parts;
    while (is(node, node::attribute)) {
      parts.push_back(text(field(node, fields::attribute)));
      node = field(node, fields::object);
    }
    if (!is(node, node::identifier)) return std::nullopt;
    std::string result = text(node);
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) result += "." + *it;
    return result;
  }

  // The fully qualified name an expression denotes through the file's imports (and aliases), if any.
  std::optional<std::string> resolve(TSNode node) const {
    const auto name = dotted(node);
    if (!name) return std::nullopt;
    const auto dot = name->find('.');
    const auto head = name->substr(0, dot);
    const auto rest = dot == std::string::npos ? std::string() : name->substr(dot);
    if (const auto found = aliases_.find(head); found != aliases_.end()) return found->second + rest;
    if (const auto conventional = conventional_module(head); conventional && !bound_names_.count(head)) {
      return std::string(*conventional) + rest;
    }
    return std::nullopt;
  }

  const HybridApi* api_of(TSNode node) const {
    const auto qualified = resolve(node);
    return qualified ? api_for_qualified_name(*qualified) : nullptr;
  }

  bool is_partial(TSNode node) const {
    const auto qualified = resolve(node);
    return qualified && *qualified == "functools.partial";
  }

  void bind(const std::string& alias, const std::string& raw_target, TSNode at) {
    // Keras' lazy loader (`from keras.src.utils.module_utils import tensorflow as tf`) stands for TensorFlow.
    const std::string target =
        raw_target.ends_with("module_utils.tensorflow") ? std::string("tensorflow") : raw_target;
    // Imports are file-wide here: when one name is bound twice, keep the binding that reaches an API module.
    if (const auto existing = aliases_.find(alias); existing != aliases_.end() && reaches_api_module(existing->second) &&
                                                   !reaches_api_module(target)) {
      facts_.imports.push_back({alias, target, line_of(at)});
      return;
    }
    aliases_[alias] = target;
    bound_names_.insert(alias);
    facts_.imports.push_back({alias, target, line_of(at)});
  }

  static bool reaches_api_module(const std::string& target) {
    const auto root = target.substr(0, target.find('.'));
    return root == "tensorflow" || root == "torch" || root == "jax" || root == "functools";
  }

  // Imports, then the assignments that alias an API, each in a pass over the statements that can hold them. Most
  // of a tree's nodes, those inside expressions, are never entered; of the simple statements only expression
  // statements (which hold the assignments) are; and each pass enters only the statements that spell a word it
  // looks for: a test module of two thousand methods has imports in a few of them and aliases in none.
  void collect_imports(TSNode root) {
    const auto imports = word_starts(source_, {std::string_view("import")});
    walk_recorded(root, nullptr, nullptr, [&](const WalkVisit& visit) {
      const TSNode node = visit.node;
      if (node::import_statement.matches(visit.symbol)) {
        bind_import(node);
      } else if (node::import_from_statement.matches(visit.symbol)) {
        bind_import_from(node);
      }
      return may_hold_statements(node) && spells(imports, visit);
    }, AnonymousNodes::Skip);
    collect_assignment_aliases(root);
  }

  static bool may_hold_statements(TSNode node) {
    return !cannot_hold_statements(node) && (!is_simple_statement(node) || is(node, node::expression_statement));
  }

  void bind_import(TSNode node) {
    for (std::uint32_t i = 0, n = ts_node_named_child_count(node); i < n; ++i) {
      const TSNode child = ts_node_named_child(node, i);
      if (is(child, node::aliased_import)) {
        bind(text(field(child, fields::alias)), text(field(child, fields::name)), node);
      } else if (is(child, node::dotted_name)) {
        // `import a.b.c` binds `a`; a.b.c.f then resolves through it.
        const auto name = text(child);
        const auto head = name.substr(0, name.find('.'));
        bind(head, head, node);
      }
    }
  }

  void bind_import_from(TSNode node) {
    const TSNode module_node = field(node, fields::module_name);
    const auto module = text(module_node);
    const auto join = [&](const std::string& name) { return module.ends_with(".") ? module + name : module + "." + name; };
    for (std::uint32_t i = 0, n = ts_node_named_child_count(node); i < n; ++i) {
      const TSNode child = ts_node_named_child(node, i);
      if (ts_node_eq(child, module_node)) continue;
      if (is(child, node::aliased_import)) {
        bind(text(field(child, fields::alias)), join(text(field(child, fields::name))), node);
      } else if (is(child, node::dotted_name)) {
        bind(text(child), join(text(child)), node);
      }
    }
  }

  // Sorted start bytes of the words' occurrences in `text` (substrings, not tokens: a few extra statements entered
  // cost less than telling identifiers from the rest). One pass over the text: a find() per word went over the
  // whole source a dozen times. A word can start only where its first two bytes are, so one look-up in a table of
  // byte pairs rules out nearly every byte before any word is compared.
  //
  // With `ending_statements`, only where a word ends a statement: followed by blanks, then the end of the line or of
  // the text, `;`, a comment or a line continuation.
  static bool ends_statement(std::string_view text, std::size_t end) {
    while (end < text.size() && (text[end] == ' ' || text[end] == '\t' || text[end] == '\f')) ++end;
    return end == text.size() || std::string_view("\n\r;#\\").find(text[end]) != std::string_view::npos;
  }

  // Of `starts` (word_starts' of the same words, every mention), those word_starts with `ending_statements` gives.
  static std::vector<std::uint32_t> ending_a_statement(std::string_view text,
                                                       const std::vector<std::string_view>& words,
                                                       const std::vector<std::uint32_t>& starts) {
    std::vector<std::uint32_t> ending;
    for (const auto at : starts) {
      for (const auto word : words) {
        if (text.compare(at, word.size(), word) == 0 && ends_statement(text, at + word.size())) {
          ending.push_back(at);
          break;
        }
      }
    }
    return ending;
  }

  static std::vector<std::uint32_t> word_starts(std::string_view text, const std::vector<std::string_view>& words,
                                                bool ending_statements = false) {
    std::vector<std::uint32_t> starts;
    if (words.size() == 1 && words[0].size() > 1) {
      // One word ("import"): find_in skips ahead much faster than the byte loop below.
      const auto word = words[0];
      for (auto at = find_in(text, word); at != std::string_view::npos; at = find_in(text, word, at + 1)) {
        if (!ending_statements || ends_statement(text, at + word.size())) {
          starts.push_back(static_cast<std::uint32_t>(at));
        }
      }
      return starts;
    }
    const auto pair_at = [](unsigned char first, unsigned char second) { return (std::size_t{first} << 8) | second; };
    std::bitset<65536> pairs;
    std::array<bool, 256> one_byte_word{};
    std::array<std::vector<std::string_view>, 256> by_first{};
    for (const auto word : words) {
      if (word.empty()) continue;
      const auto first = static_cast<unsigned char>(word[0]);
      by_first[first].push_back(word);
      if (word.size() == 1) {
        one_byte_word[first] = true;
      } else {
        pairs.set(pair_at(first, static_cast<unsigned char>(word[1])));
      }
    }
    for (std::size_t at = 0; at < text.size(); ++at) {
      const auto first = static_cast<unsigned char>(text[at]);
      if (!one_byte_word[first] &&
          (at + 1 == text.size() || !pairs.test(pair_at(first, static_cast<unsigned char>(text[at + 1]))))) {
        continue;
      }
      for (const auto word : by_first[first]) {
        if (text.compare(at, word.size(), word) == 0 &&
            (!ending_statements || ends_statement(text, at + word.size()))) {
          starts.push_back(static_cast<std::uint32_t>(at));
          break;  // one start is enough: spells() asks only whether some word starts in a node
        }
      }
    }
    return starts;
  }

  // Whether one of the words found at `starts` starts inside the visited node.
  static bool spells(const std::vector<std::uint32_t>& starts, const WalkVisit& visit) {
    const auto start = std::lower_bound(starts.begin(), starts.end(), ts_node_start_byte(visit.node));
    return start != starts.end() && *start < visit.end_byte;
  }

  // The words a site's callee must contain: the APIs' last names (see api_last_names) and the names bound to an
  // API.
  std::vector<std::string_view> site_word_list() const {
    std::vector<std::string_view> words(api_last_names().begin(), api_last_names().end());
    for (const auto& [alias, target] : aliases_) {
      if (api_for_qualified_name(target) != nullptr) words.push_back(alias);
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
  }

  // Once imports and aliases are known.
  void find_site_words() {
    const auto words = site_word_list();
    if (std::equal(words.begin(), words.end(), scanned_words_.begin(), scanned_words_.end())) {
      site_words_ = std::move(scanned_starts_);
    } else {
      site_words_ = word_starts(source_, words);
    }
  }

  bool spells_site_word(const WalkVisit& visit) const { return spells(site_words_, visit); }

  // `tfn = tf.function` or `jit = jax.jit`: a plain alias of an API, used later as @tfn; and `tf = my_wrapper`,
  // after which `tf` is no longer the conventional alias of TensorFlow. Processed in source order, after every
  // import (imports are file-wide here).
  //
  // Only two kinds of assignment change anything: one whose right side names an API, and one that rebinds a
  // conventional module name. A right side that names an API is a name or an attribute chain (a call, a tuple or
  // parentheses resolve to nothing) ending in an API's last name or in a name already bound to an API, and it ends
  // the statement. So the pass enters only the statements where a site word ends a statement, or tf, torch or jax
  // is assigned: most mentions of `function` or `compile` (in calls, docstrings) are not. A tree with syntax errors
  // can hold an assignment that ends before its statement does; there every mention of a site word counts. An alias
  // of an alias (`a = tf.function`, then `b = a`) spells a word only once `a` is known: when the pass binds a name
  // it was not looking for, it runs again from the imports' state with that name among the words.
  void collect_assignment_aliases(TSNode root) {
    const auto imported_aliases = aliases_;
    const auto imported_bound = bound_names_;
    const auto rebinds = conventional_assignments();
    const bool well_formed = !ts_node_has_error(root);
    // Only grows: a round runs again only when it bound a name not yet here, so the rounds end. A long chain of
    // aliases (generated code) would take a round per link: the third round enters every statement instead, which
    // is exact in one pass.
    std::set<std::string> words;
    for (const auto word : site_word_list()) words.emplace(word);
    constexpr int kPrunedRounds = 2;
    for (int round = 1;; ++round) {
      const bool everywhere = round > kPrunedRounds;
      const std::vector<std::string_view> listed(words.begin(), words.end());
      std::vector<std::uint32_t> starts;
      if (round == 1) {
        // Every mention, which find_site_words needs too when no assignment binds another alias (the usual case:
        // then it looks for the same words), and of them where a word ends a statement.
        scanned_words_.assign(listed.begin(), listed.end());
        scanned_starts_ = word_starts(source_, listed);
        starts = well_formed ? ending_a_statement(source_, listed, scanned_starts_) : scanned_starts_;
      } else if (!everywhere) {
        starts = word_starts(source_, listed, well_formed);
      }
      starts.insert(starts.end(), rebinds.begin(), rebinds.end());
      std::sort(starts.begin(), starts.end());
      aliases_ = imported_aliases;
      bound_names_ = imported_bound;
      walk_recorded(root, nullptr, nullptr, [&](const WalkVisit& visit) {
        const TSNode node = visit.node;
        if (node::assignment.matches(visit.symbol)) {
          alias_of_assignment(field(node, fields::left), field(node, fields::right));
        }
        return may_hold_statements(node) && (everywhere || spells(starts, visit));
      }, AnonymousNodes::Skip);
      bool complete = true;
      for (const auto& [alias, target] : aliases_) {
        if (api_for_qualified_name(target) != nullptr) complete &= !words.insert(alias).second;
      }
      if (complete || everywhere) return;
    }
  }

  void alias_of_assignment(TSNode left, TSNode right) {
    if (!is(left, node::identifier) || ts_node_is_null(right)) return;
    const auto qualified = resolve(right);
    if (qualified && api_for_qualified_name(*qualified)) aliases_[text(left)] = *qualified;
    bound_names_.insert(text(left));
  }

  // Where a conventional module name (tf, torch, jax) may be assigned: spelled, then blanks (line continuations
  // included), then `=` (not `==`) or `:` (an annotated assignment).
  std::vector<std::uint32_t> conventional_assignments() const {
    std::vector<std::uint32_t> starts;
    for (const auto name : conventional_aliases()) {
      for (auto at = find_in(source_, name); at != std::string_view::npos; at = find_in(source_, name, at + 1)) {
        auto next = at + name.size();
        while (next < source_.size() && std::string_view(" \t\f\\\r\n").find(source_[next]) != std::string_view::npos) ++next;
        if (next >= source_.size()) continue;
        const char c = source_[next];
        if (c == ':' || (c == '=' && (next + 1 >= source_.size() || source_[next + 1] != '='))) {
          starts.push_back(static_cast<std::uint32_t>(at));
        }
      }
    }
    return starts;
  }

  // ---- definitions and sites ------------------------------------------------------------------------------

  void walk(TSNode root) {
    scopes_.push_back(Scope{});
    // The scope a node's children live in, by the node's start byte and symbol, for the nodes that open one.
    std::vector<std::pair<TSNode, std::size_t>> open;  // (node, scope) stack of scope-opening ancestors
    // What is entered depends on the site words besides the nodes themselves: the previous version's walk is
    // replayed only when it looked for the same words.
    std::vector<std::string> words;
    for (const auto word : site_word_list()) words.emplace_back(word);
    const WalkRecord* known = known_walk_ != nullptr && known_walk_->context == words ? known_walk_ : nullptr;
    if (computed_walk_ != nullptr) computed_walk_->context = std::move(words);
    walk_recorded(root, known, computed_walk_, [&](const WalkVisit& visit) {
      const TSNode node = visit.node;
      const TSNode parent = visit.parent;
      while (!open.empty() && !ts_node_eq(open.back().first, parent) && !is_ancestor(open.back().first, visit)) {
        open.pop_back();
      }
      const std::size_t scope = open.empty() ? 0 : open.back().second;
      const TSSymbol symbol = visit.symbol;
      const auto node_is = [symbol](const NodeType& type) { return type.matches(symbol); };
      if (node_is(node::decorated_definition)) {
        decorated(node, scope);
      } else if (node_is(node::function_definition)) {
        open.emplace_back(node, function(node, parent, scope));
      } else if (node_is(node::class_definition)) {
        open.emplace_back(node, class_scope(node, scope));
      } else if (node_is(node::call) && spells_site_word(visit) && !handled_.count(ts_node_start_byte(node))) {
        // A site's call spells the API's last name, an alias bound to the API, or `hybridize`: most calls
        // (assertions, layers, ops) do not, and need not have their callee's name built and looked up.
        call(node, parent, scope);
      } else if (node_is(node::print_statement) || node_is(node::exec_statement)) {
        // The grammar keeps these Python 2 statements; `print(x)` in Python 3 is a call, not a print_statement.
        facts_.python2 = true;
      }
      // Definitions are compound statements, and a site is a call spelling a site word: expressions and simple
      // statements without one are skipped whole (most of a tree's nodes). A replay has decided already; asking
      // would touch the node's subtree (its symbol and error flag), which the replay exists to avoid.
      if (visit.replayed()) return false;
      return (!cannot_hold_statements(node) && !is_simple_statement(node)) || spells_site_word(visit);
    }, AnonymousNodes::Skip);
  }

  // Byte ranges nest: a node lies inside a scope-opening node exactly when its range does.
  static bool is_ancestor(TSNode ancestor, const WalkVisit& visit) {
    return ts_node_start_byte(ancestor) <= ts_node_start_byte(visit.node) &&
           visit.end_byte <= ts_node_end_byte(ancestor) && !ts_node_eq(ancestor, visit.node);
  }

  std::string qualify(std::size_t scope, const std::string& name) const {
    return scopes_[scope].qualified.empty() ? name : scopes_[scope].qualified + "." + name;
  }

  std::string level_of(std::size_t scope) const {
    switch (scopes_[scope].kind) {
      case Scope::Kind::Module: return "module";
      case Scope::Kind::Class: return "class";
      case Scope::Kind::Function: return "function";
    }
    return "module";
  }

  std::size_t class_scope(TSNode node, std::size_t scope) {
    Scope inner;
    inner.qualified = qualify(scope, text(field(node, fields::name)));
    inner.kind = Scope::Kind::Class;
    inner.class_for_self = inner.qualified;
    std::vector<std::string> bases;
    const TSNode superclasses = field(node, fields::superclasses);
    for (std::uint32_t i = 0, n = ts_node_is_null(superclasses) ? 0 : ts_node_named_child_count(superclasses); i < n; ++i) {
      bases.push_back(text(ts_node_named_child(superclasses, i)));
    }
    class_bases_[inner.qualified] = std::move(bases);
    scopes_.push_back(std::move(inner));
    return scopes_.size() - 1;
  }

  std::size_t function(TSNode node, TSNode parent, std::size_t scope) {
    FunctionFact fact;
    fact.name = text(field(node, fields::name));
    fact.qualified_name = qualify(scope, fact.name);
    fact.start_line = line_of(node);
    fact.end_line = end_line_of(node);
    if (scopes_[scope].kind == Scope::Kind::Class) {
      fact.class_name = scopes_[scope].qualified;
      fact.class_bases = class_bases_[scopes_[scope].qualified];
    }
    fact.parameters = parameters(field(node, fields::parameters));
    if (is(parent, node::decorated_definition)) {
      for (std::uint32_t i = 0, n = ts_node_named_child_count(parent); i < n; ++i) {
        const TSNode child = ts_node_named_child(parent, i);
        if (is(child, node::decorator)) fact.decorators.push_back(decorator_text(child));
      }
    }
    fact.body_hash = hash_of_body(field(node, fields::body));
    facts_.functions.push_back(std::move(fact));

    Scope inner;
    inner.qualified = facts_.functions.back().qualified_name;
    inner.kind = Scope::Kind::Function;
    // In a method, `self.x` names the class's x; nested functions keep seeing the method's class.
    inner.class_for_self = scopes_[scope].kind == Scope::Kind::Class ? scopes_[scope].qualified
                                                                      : scopes_[scope].class_for_self;
    scopes_.push_back(std::move(inner));
    return scopes_.size() - 1;
  }

  std::string hash_of_body(TSNode body) {
    if (known_hashes_ != nullptr) {
      if (const auto found = known_hashes_->find(body.id); found != known_hashes_->end()) {
        if (computed_hashes_ != nullptr) computed_hashes_->emplace(body.id, found->second);
        return found->second;
      }
    }
    auto hash = memo_ != nullptr ? memo_->hash(body, source_) : body_hash(body, source_);
    if (computed_hashes_ != nullptr) computed_hashes_->emplace(body.id, hash);
    return hash;
  }

  std::string decorator_text(TSNode decorator) const {
    auto value = text(decorator);
    if (value.starts_with("@")) value.erase(0, 1);
    const auto begin = value.find_first_not_of(" \t");
    return begin == std::string::npos ? std::string() : value.substr(begin);
  }

  std::vector<Parameter> parameters(TSNode list) const {
    std::vector<Parameter> result;
    for (std::uint32_t i = 0, n = ts_node_is_null(list) ? 0 : ts_node_named_child_count(list); i < n; ++i) {
      const TSNode p = ts_node_named_child(list, i);
      Parameter parameter;
      parameter.kind = "positional";
      TSNode name_node = p;
      if (is(p, node::default_parameter) || is(p, node::typed_default_parameter)) {
        name_node = field(p, fields::name);
        parameter.default_value = text(field(p, fields::value));
        if (is(p, node::typed_default_parameter)) parameter.annotation = text(field(p, fields::type));
      } else if (is(p, node::typed_parameter)) {
        parameter.annotation = text(field(p, fields::type));
        name_node = ts_node_named_child(p, 0);
      }
      if (is(name_node, node::list_splat_pattern)) {
        parameter.kind = "var_positional";
        name_node = ts_node_named_child(name_node, 0);
      } else if (is(name_node, node::dictionary_splat_pattern)) {
        parameter.kind = "var_keyword";
        name_node = ts_node_named_child(name_node, 0);
      }
      if (!is(name_node, node::identifier)) continue;  // bare * and / separators
      parameter.name = text(name_node);
      result.push_back(std::move(parameter));
    }
    return result;
  }

  Arguments keyword_arguments(TSNode call_node, bool skip_first_positional = false) const {
    Arguments result;
    const TSNode args = field(call_node, fields::arguments);
    bool skipped = !skip_first_positional;
    for (std::uint32_t i = 0, n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args); i < n; ++i) {
      const TSNode arg = ts_node_named_child(args, i);
      if (is(arg, node::keyword_argument)) {
        result.emplace_back(text(field(arg, fields::name)), text(field(arg, fields::value)));
      } else if (is(arg, node::dictionary_splat)) {
        // tf.function(f, **options): the forwarded mapping is an argument too; named by its text.
        result.emplace_back(text(arg), text(arg));
      } else if (!skipped && !is(arg, node::comment)) {
        skipped = true;
      }
    }
    return result;
  }

  TSNode first_positional(TSNode call_node) const {
    const TSNode args = field(call_node, fields::arguments);
    for (std::uint32_t i = 0, n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args); i < n; ++i) {
      const TSNode arg = ts_node_named_child(args, i);
      if (!is(arg, node::keyword_argument) && !is(arg, node::comment) && !is(arg, node::list_splat) &&
          !is(arg, node::dictionary_splat)) {
        return arg;
      }
    }
    return TSNode{};
  }

  void add_site(const HybridApi& api, std::string form, std::size_t scope, TSNode at, std::string target,
                Arguments arguments) {
    HybridSite site;
    site.api = std::string(api.id);
    site.family = std::string(api.family);
    site.role = api.role == ApiRole::Hybridize ? "hybridize" : "annotation";
    site.form = std::move(form);
    site.level = level_of(scope);
    site.function = std::move(target);
    site.scope = scopes_[scope].qualified;
    site.line = line_of(at);
    site.arguments = std::move(arguments);
    facts_.sites.push_back(std::move(site));
  }

  void decorated(TSNode node, std::size_t scope) {
    const TSNode definition = field(node, fields::definition);
    const auto target = qualify(scope, text(field(definition, fields::name)));
    for (std::uint32_t i = 0, n = ts_node_named_child_count(node); i < n; ++i) {
      const TSNode decorator = ts_node_named_child(node, i);
      if (!is(decorator, node::decorator)) continue;
      const TSNode expression = ts_node_named_child(decorator, 0);
      if (const auto* api = api_of(expression)) {
        add_site(*api, "decorator", scope, decorator, target, {});
      } else if (is(expression, node::call)) {
        const TSNode callee = field(expression, fields::function);
        if (const auto* called = api_of(callee)) {
          handled_.insert(ts_node_start_byte(expression));
          add_site(*called, "decorator_call", scope, decorator, target, keyword_arguments(expression));
        } else if (is_partial(callee)) {
          const TSNode wrapped = first_positional(expression);
          if (const auto* partial_api = ts_node_is_null(wrapped) ? nullptr : api_of(wrapped)) {
            handled_.insert(ts_node_start_byte(expression));
            add_site(*partial_api, "partial_decorator", scope, decorator, target, keyword_arguments(expression, true));
          }
        }
      }
    }
  }

  void call(TSNode node, TSNode parent, std::size_t scope) {
    const TSNode callee = field(node, fields::function);
    const HybridApi* api = api_of(callee);
    Arguments arguments;
    if (api) {
      arguments = keyword_arguments(node);
    } else if (is(callee, node::call) && ts_node_is_null(first_positional(callee)) &&
               (api = api_of(field(callee, fields::function)))) {
      // tf.function(input_signature=...)(f): the arguments are the inner call's, the target the outer's.
      handled_.insert(ts_node_start_byte(callee));
      arguments = keyword_arguments(callee);
    } else if (is(callee, node::call) && is_partial(field(callee, fields::function)) && !ts_node_is_null(first_positional(callee)) &&
               (api = api_of(first_positional(callee)))) {
      handled_.insert(ts_node_start_byte(callee));  // partial(jax.jit, static_argnums=1)(f)
      arguments = keyword_arguments(callee, true);
    } else if (is(callee, node::attribute) && text(field(callee, fields::attribute)) == "hybridize") {
      add_site(mxnet_hybridize(), "method_call", scope, node, text(field(callee, fields::object)), keyword_arguments(node));
      return;
    } else {
      return;
    }
    const TSNode target = first_positional(node);
    add_site(*api, "call", scope, node, "", std::move(arguments));
    auto& site = facts_.sites.back();
    if (is(parent, node::assignment) && ts_node_eq(field(parent, fields::right), node)) site.assigned_to = text(field(parent, fields::left));
    if (is(target, node::lambda)) {
      site.function = "<lambda>";  // its source text would change with every edit of the lambda's body
    } else if (!ts_node_is_null(target)) {
      pending_.push_back({facts_.sites.size() - 1, text(target), scope});
    }
  }

  // A call form's target names a function of this file when it can be found from the call's scope outward:
  // `step` → the nearest enclosing definition named step; `self.step` → the method step of the current class.
  void resolve_targets() {
    std::unordered_set<std::string> defined;
    for (const auto& f : facts_.functions) defined.insert(f.qualified_name);
    for (const auto& pending : pending_) {
      auto& site = facts_.sites[pending.site];
      site.function = pending.text;
      const auto& scope = scopes_[pending.scope];
      if (pending.text.starts_with("self.") || pending.text.starts_with("cls.")) {
        const auto member = pending.text.substr(pending.text.find('.') + 1);
        const auto candidate = scope.class_for_self + "." + member;
        if (!scope.class_for_self.empty() && defined.count(candidate)) site.function = candidate;
        continue;
      }
      std::string prefix = scope.qualified;
      while (true) {
        const auto candidate = prefix.empty() ? pending.text : prefix + "." + pending.text;
        if (defined.count(candidate)) {
          site.function = candidate;
          break;
        }
        if (prefix.empty()) break;
        const auto dot = prefix.find_last_of('.');
        prefix = dot == std::string::npos ? std::string() : prefix.substr(0, dot);
      }
    }
  }

  std::string_view source_;
  FileFacts& facts_;
  const BodyHashes* known_hashes_;
  BodyHashes* computed_hashes_;
  const WalkRecord* known_walk_;  // the previous version's walk (see recorded_walk.hpp)
  WalkRecord* computed_walk_;
  BodyHashMemo* memo_;  // body hashes met before, by text (see body_hash.hpp)
  std::unordered_map<std::string, std::string> aliases_;
  std::unordered_set<std::string> bound_names_;
  std::unordered_map<std::string, std::vector<std::string>> class_bases_;
  std::vector<Scope> scopes_;
  std::unordered_set<std::uint32_t> handled_;  // start bytes of calls already reported as part of a site
  std::vector<PendingTarget> pending_;
  // Sorted start bytes of the site words' occurrences: an expression without one cannot hold a site, and walk()
  // does not enter it.
  std::vector<std::uint32_t> site_words_;
  // The first scan of collect_assignment_aliases: its words, and every mention of them (find_site_words').
  std::vector<std::string> scanned_words_;
  std::vector<std::uint32_t> scanned_starts_;
};

}  // namespace

std::string stable_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

FileFacts facts_of_tree(std::string_view source, const TSTree& tree, const BodyHashes* known, BodyHashes* computed,
                        const WalkRecord* known_walk, WalkRecord* computed_walk, BodyHashMemo* memo) {
  FileFacts facts;
  facts.parsed = true;
  facts.syntax_errors = count_syntax_errors(tree);
  Extractor(source, facts, known, computed, known_walk, computed_walk, memo).run(ts_tree_root_node(&tree));
  return facts;
}

FileFacts analyse_python_unfiltered(std::string_view source, PythonParser& parser) {
  return facts_of_tree(source, *parser.parse(source));
}

FileFacts analyse_python(std::string_view source, PythonParser& parser) {
  if (!may_contain_sites(source)) return {};
  return analyse_python_unfiltered(source, parser);
}

}  // namespace hm::detectors
