#pragma once
// The node types the detectors test, as grammar symbols looked up once (see NodeType): is(node, node::call) is an
// integer compare. Names are the grammar's; a C++ keyword gets a trailing underscore (node::true_).
#include "detectors/python_parser.hpp"

namespace hm::detectors {

inline bool is(TSNode node, const NodeType& type) { return type(node); }

namespace node {
inline const NodeType aliased_import{"aliased_import"};
inline const NodeType arguments{"arguments"};
inline const NodeType as_pattern{"as_pattern"};
inline const NodeType assignment{"assignment"};
inline const NodeType attribute{"attribute"};
inline const NodeType augmented_assignment{"augmented_assignment"};
inline const NodeType await{"await"};
inline const NodeType binary_operator{"binary_operator"};
inline const NodeType boolean_operator{"boolean_operator"};
inline const NodeType call{"call"};
inline const NodeType class_definition{"class_definition"};
inline const NodeType comment{"comment"};
inline const NodeType comparison_operator{"comparison_operator"};
inline const NodeType concatenated_string{"concatenated_string"};
inline const NodeType conditional_expression{"conditional_expression"};
inline const NodeType decorated_definition{"decorated_definition"};
inline const NodeType decorator{"decorator"};
inline const NodeType default_parameter{"default_parameter"};
inline const NodeType delete_statement{"delete_statement"};
inline const NodeType dictionary{"dictionary"};
inline const NodeType dictionary_comprehension{"dictionary_comprehension"};
inline const NodeType dictionary_splat{"dictionary_splat"};
inline const NodeType dictionary_splat_pattern{"dictionary_splat_pattern"};
inline const NodeType dotted_name{"dotted_name"};
inline const NodeType exec_statement{"exec_statement"};
inline const NodeType expression_list{"expression_list"};
inline const NodeType expression_statement{"expression_statement"};
inline const NodeType false_{"false"};
inline const NodeType float_{"float"};
inline const NodeType for_in_clause{"for_in_clause"};
inline const NodeType for_statement{"for_statement"};
inline const NodeType function{"function"};
inline const NodeType function_definition{"function_definition"};
inline const NodeType generator_expression{"generator_expression"};
inline const NodeType global_statement{"global_statement"};
inline const NodeType identifier{"identifier"};
inline const NodeType if_statement{"if_statement"};
inline const NodeType import_from_statement{"import_from_statement"};
inline const NodeType import_statement{"import_statement"};
inline const NodeType integer{"integer"};
inline const NodeType keyword_argument{"keyword_argument"};
inline const NodeType lambda{"lambda"};
inline const NodeType line_continuation{"line_continuation"};
inline const NodeType list{"list"};
inline const NodeType list_comprehension{"list_comprehension"};
inline const NodeType list_pattern{"list_pattern"};
inline const NodeType list_splat{"list_splat"};
inline const NodeType list_splat_pattern{"list_splat_pattern"};
inline const NodeType none{"none"};
inline const NodeType nonlocal_statement{"nonlocal_statement"};
inline const NodeType not_operator{"not_operator"};
inline const NodeType object{"object"};
inline const NodeType pair{"pair"};
inline const NodeType parenthesized_expression{"parenthesized_expression"};
inline const NodeType pattern_list{"pattern_list"};
inline const NodeType print_statement{"print_statement"};
inline const NodeType return_statement{"return_statement"};
inline const NodeType set{"set"};
inline const NodeType set_comprehension{"set_comprehension"};
inline const NodeType string{"string"};
inline const NodeType string_content{"string_content"};
inline const NodeType string_end{"string_end"};
inline const NodeType string_start{"string_start"};
inline const NodeType subscript{"subscript"};
inline const NodeType true_{"true"};
inline const NodeType tuple{"tuple"};
inline const NodeType tuple_pattern{"tuple_pattern"};
inline const NodeType typed_default_parameter{"typed_default_parameter"};
inline const NodeType typed_parameter{"typed_parameter"};
inline const NodeType unary_operator{"unary_operator"};
inline const NodeType while_statement{"while_statement"};
inline const NodeType wildcard_import{"wildcard_import"};
inline const NodeType with_item{"with_item"};
inline const NodeType yield{"yield"};
}  // namespace node

// The fields the detectors read: field(node, fields::name) is ts_node_child_by_field_id.
namespace fields {
inline const FieldName alias{"alias"};
inline const FieldName argument{"argument"};
inline const FieldName arguments{"arguments"};
inline const FieldName attribute{"attribute"};
inline const FieldName body{"body"};
inline const FieldName condition{"condition"};
inline const FieldName definition{"definition"};
inline const FieldName function{"function"};
inline const FieldName left{"left"};
inline const FieldName module_name{"module_name"};
inline const FieldName name{"name"};
inline const FieldName object{"object"};
inline const FieldName parameters{"parameters"};
inline const FieldName right{"right"};
inline const FieldName superclasses{"superclasses"};
inline const FieldName type{"type"};
inline const FieldName value{"value"};
}  // namespace fields

inline TSNode field(TSNode node, const FieldName& name) { return name.of(node); }

}  // namespace hm::detectors
