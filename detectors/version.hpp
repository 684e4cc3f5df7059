#pragma once
// The detector's version. Bump it whenever a change to the detectors (catalogue, extraction, classification,
// commit-message rules) can change what they report: blobs and commits analysed by an older version are then
// analysed again on the next mine, so a database never mixes the answers of two detectors.
namespace hm::detectors {
inline constexpr int kDetectorVersion = 4;
}  // namespace hm::detectors
