-- Schema v9: a function's facts and its advice are stored once, however many blobs hold it. Documented in
-- schema/README.md.
--
-- Consecutive versions of a file mostly differ in a function or two: on the Keras history, blob_functions and
-- blob_function_advice repeated the same definitions and verdicts ~700,000 times and were 86 % of the database
-- (260 of 304 MB). Now `function_definitions` and `function_verdicts` hold each distinct one once, under an id
-- that is a 64-bit hash of its values (hm_content_id, a function hybridminer registers on its connections): every
-- process, shard and migration gives the same definition the same id, so shards merge without renumbering. A blob
-- keeps only where each of its functions is (`blob_function_spans`, `blob_function_verdicts`), and the views
-- `blob_functions` and `blob_function_advice` give the v8 tables' rows, same names, same columns.

CREATE TABLE function_definitions (
  id               INTEGER PRIMARY KEY,            -- hm_content_id of the other columns, in this order
  qualified_name   TEXT    NOT NULL,
  name             TEXT    NOT NULL,
  class_name       TEXT,
  class_bases      TEXT,
  parameters       TEXT    NOT NULL,
  decorators       TEXT    NOT NULL,
  body_hash        TEXT    NOT NULL
);

CREATE TABLE blob_function_spans (
  blob             TEXT    NOT NULL REFERENCES blob_analyses(blob) ON DELETE CASCADE,
  ordinal          INTEGER NOT NULL,               -- 0, 1, ...: the functions in source order
  definition       INTEGER NOT NULL REFERENCES function_definitions(id),
  cell             INTEGER,
  start_line       INTEGER NOT NULL,
  end_line         INTEGER NOT NULL,
  PRIMARY KEY (blob, ordinal)
) WITHOUT ROWID;

CREATE TABLE function_verdicts (
  id                      INTEGER PRIMARY KEY,     -- hm_content_id of the other columns, in this order
  function                TEXT    NOT NULL,
  is_hybrid               INTEGER NOT NULL CHECK (is_hybrid IN (0, 1)),
  api                     TEXT,
  has_tensor_parameter    INTEGER,
  has_primitive_parameter INTEGER,
  has_python_side_effects INTEGER,
  is_recursive            INTEGER,
  refactoring             TEXT,
  transformation          TEXT,
  passing_precondition    TEXT,
  failures                TEXT    NOT NULL
);

CREATE TABLE blob_function_verdicts (
  blob             TEXT    NOT NULL REFERENCES blob_analyses(blob) ON DELETE CASCADE,
  ordinal          INTEGER NOT NULL,               -- 0, 1, ...: in the advisor's order (source order)
  verdict          INTEGER NOT NULL REFERENCES function_verdicts(id),
  cell             INTEGER,
  line             INTEGER NOT NULL,
  PRIMARY KEY (blob, ordinal)
) WITHOUT ROWID;

-- The v8 rows, moved. rowid order is the order they were written in (source order within a blob).
INSERT OR IGNORE INTO function_definitions
SELECT hm_content_id(qualified_name, name, class_name, class_bases, parameters, decorators, body_hash),
       qualified_name, name, class_name, class_bases, parameters, decorators, body_hash
FROM blob_functions ORDER BY rowid;
INSERT INTO blob_function_spans
SELECT blob, row_number() OVER (PARTITION BY blob ORDER BY rowid) - 1,
       hm_content_id(qualified_name, name, class_name, class_bases, parameters, decorators, body_hash),
       cell, start_line, end_line
FROM blob_functions;

INSERT OR IGNORE INTO function_verdicts
SELECT hm_content_id(function, is_hybrid, api, has_tensor_parameter, has_primitive_parameter,
                     has_python_side_effects, is_recursive, refactoring, transformation, passing_precondition,
                     failures),
       function, is_hybrid, api, has_tensor_parameter, has_primitive_parameter, has_python_side_effects,
       is_recursive, refactoring, transformation, passing_precondition, failures
FROM blob_function_advice ORDER BY rowid;
INSERT INTO blob_function_verdicts
SELECT blob, row_number() OVER (PARTITION BY blob ORDER BY rowid) - 1,
       hm_content_id(function, is_hybrid, api, has_tensor_parameter, has_primitive_parameter,
                     has_python_side_effects, is_recursive, refactoring, transformation, passing_precondition,
                     failures),
       cell, line
FROM blob_function_advice;

DROP TABLE blob_functions;
DROP TABLE blob_function_advice;

-- The v8 tables' rows, in the same columns (ORDER BY blob, cell, line: source order).
CREATE VIEW blob_functions AS
SELECT s.blob, d.qualified_name, d.name, d.class_name, d.class_bases, s.cell, s.start_line, s.end_line,
       d.parameters, d.decorators, d.body_hash
FROM blob_function_spans s JOIN function_definitions d ON d.id = s.definition;

CREATE VIEW blob_function_advice AS
SELECT s.blob, v.function, s.cell, s.line, v.is_hybrid, v.api, v.has_tensor_parameter, v.has_primitive_parameter,
       v.has_python_side_effects, v.is_recursive, v.refactoring, v.transformation, v.passing_precondition,
       v.failures
FROM blob_function_verdicts s JOIN function_verdicts v ON v.id = s.verdict;
