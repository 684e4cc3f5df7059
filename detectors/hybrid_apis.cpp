#include "detectors/hybrid_apis.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace hm::detectors {
namespace {

const std::vector<HybridApi> kApis = {
    // TensorFlow 2: tf.function, under every public and internal module path it has lived at.
    {"tf.function", "tensorflow", ApiRole::Hybridize,
     {"tensorflow.function", "tensorflow.compat.v2.function", "tensorflow.compat.v1.function",
      "tensorflow.python.eager.def_function.function",
      "tensorflow.python.eager.polymorphic_function.polymorphic_function.function",
      "tensorflow.python.eager.polymorphic_function.def_function.function", "tensorflow.contrib.eager.function",
      "tensorflow.python.eager.function.function"},
     {"input_signature", "autograph", "jit_compile", "experimental_compile", "reduce_retracing",
      "experimental_relax_shapes", "experimental_implements", "experimental_autograph_options",
      "experimental_follow_type_hints", "experimental_attributes"}},
    // TensorFlow 1.x eager: defun, tf.function's predecessor.
    {"tf.defun", "tensorflow", ApiRole::Hybridize,
     {"tensorflow.contrib.eager.defun", "tensorflow.python.eager.function.defun",
      "tensorflow.python.eager.function.defun_with_attributes"},
     {"input_signature", "autograph", "experimental_relax_shapes", "experimental_autograph_options"}},
    {"torch.jit.script", "pytorch", ApiRole::Hybridize, {"torch.jit.script", "torch.jit._script.script"},
     {"optimize", "_frames_up", "_rcb", "example_inputs"}},
    {"torch.jit.script_method", "pytorch", ApiRole::Hybridize,
     {"torch.jit.script_method", "torch.jit._script.script_method"}, {}},
    {"torch.jit.trace", "pytorch", ApiRole::Hybridize, {"torch.jit.trace", "torch.jit._trace.trace"},
     {"example_inputs", "optimize", "check_trace", "check_inputs", "check_tolerance", "strict",
      "example_kwarg_inputs"}},
    {"torch.jit.trace_module", "pytorch", ApiRole::Hybridize,
     {"torch.jit.trace_module", "torch.jit._trace.trace_module"},
     {"inputs", "optimize", "check_trace", "check_inputs", "check_tolerance", "strict"}},
    {"torch.compile", "pytorch", ApiRole::Hybridize, {"torch.compile", "torch._dynamo.optimize"},
     {"fullgraph", "dynamic", "backend", "mode", "options", "disable"}},
    {"torch.jit.ignore", "pytorch", ApiRole::Annotation, {"torch.jit.ignore", "torch._jit_internal.ignore"},
     {"drop"}},
    {"torch.jit.unused", "pytorch", ApiRole::Annotation, {"torch.jit.unused", "torch._jit_internal.unused"}, {}},
    {"torch.jit.export", "pytorch", ApiRole::Annotation, {"torch.jit.export", "torch._jit_internal.export"}, {}},
    {"jax.jit", "jax", ApiRole::Hybridize, {"jax.jit", "jax.api.jit", "jax._src.api.jit"},
     {"static_argnums", "static_argnames", "donate_argnums", "donate_argnames", "device", "backend", "inline",
      "keep_unused", "abstracted_axes", "in_shardings", "out_shardings"}},
    {"jax.pmap", "jax", ApiRole::Hybridize, {"jax.pmap", "jax.api.pmap", "jax._src.api.pmap"},
     {"axis_name", "in_axes", "out_axes", "static_broadcasted_argnums", "devices", "backend", "axis_size",
      "donate_argnums"}},
    {"mxnet.hybridize", "mxnet", ApiRole::Hybridize, {}, {"active", "static_alloc", "static_shape", "backend"}},
};

const std::unordered_map<std::string, const HybridApi*>& by_qualified_name() {
  static const auto map = [] {
    std::unordered_map<std::string, const HybridApi*> result;
    for (const auto& api : kApis) {
      for (const auto name : api.qualified_names) result.emplace(std::string(name), &api);
    }
    return result;
  }();
  return map;
}

}  // namespace

const std::vector<HybridApi>& hybrid_apis() { return kApis; }

const HybridApi* api_for_qualified_name(std::string_view qualified_name) {
  const auto& map = by_qualified_name();
  const auto found = map.find(std::string(qualified_name));
  return found == map.end() ? nullptr : found->second;
}

const HybridApi& mxnet_hybridize() {
  static const HybridApi& api =
      *std::find_if(kApis.begin(), kApis.end(), [](const HybridApi& a) { return a.id == "mxnet.hybridize"; });
  return api;
}

std::optional<std::string_view> conventional_module(std::string_view alias) {
  if (alias == "tf") return "tensorflow";
  if (alias == "torch") return "torch";
  if (alias == "jax") return "jax";
  return std::nullopt;
}

bool may_contain_sites(std::string_view source) {
  struct Tokens {
    std::vector<std::string_view> roots;
    std::vector<std::string_view> last_components;
  };
  static const Tokens tokens = [] {
    Tokens result{{"tf", "torch", "jax"}, {}};
    auto add = [](std::vector<std::string_view>& list, std::string_view token) {
      if (std::find(list.begin(), list.end(), token) == list.end()) list.push_back(token);
    };
    for (const auto& api : kApis) {
      for (const auto name : api.qualified_names) {
        add(result.roots, name.substr(0, name.find('.')));
        add(result.last_components, name.substr(name.find_last_of('.') + 1));
      }
    }
    return result;
  }();
  if (source.find("hybridize") != std::string_view::npos) return true;
  const auto contains_any = [&](const std::vector<std::string_view>& list) {
    return std::any_of(list.begin(), list.end(),
                       [&](std::string_view token) { return source.find(token) != std::string_view::npos; });
  };
  return contains_any(tokens.roots) && contains_any(tokens.last_components);
}

}  // namespace hm::detectors
