#include "balai/io/status_list.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <stdexcept>
#include <utility>

#include "balai/core/text.hpp"
#include "balai/tracking/event.hpp"
#include "base_encodings.hpp"
#include "json_writer.hpp"

namespace balai {

std::vector<Problem> check(const StatusListOptions& options) {
  std::vector<Problem> problems;
  const std::string where = "status list options";
  // The list's subject is the IRI with the fragment "#list".
  if (!detail::is_absolute_iri(options.id) || options.id.find('#') != std::string::npos) {
    problems.push_back(
        {where, "id", printable(options.id), "must be an absolute IRI without a fragment"});
  }
  if (!detail::is_absolute_iri(options.issuer_id)) {
    problems.push_back(
        {where, "issuer_id", printable(options.issuer_id), "must be an absolute IRI"});
  }
  return problems;
}

std::vector<std::uint8_t> revocation_bits(const CertificateRegistry& registry, Timestamp at) {
  const auto records = registry.records();
  const std::size_t blocks =
      std::max<std::size_t>(1, (records.size() + kMinStatusListBits - 1) / kMinStatusListBits);
  const std::size_t bits = blocks * kMinStatusListBits;
  std::vector<std::uint8_t> bytes(bits / CHAR_BIT, 0);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& revocation = records[i].revocation;
    if (revocation && revocation->time <= at) {
      bytes[i / CHAR_BIT] |= static_cast<std::uint8_t>(0x80U >> (i % CHAR_BIT));
    }
  }
  return bytes;
}

std::string encode_status_list(std::span<const std::uint8_t> bits) {
  z_stream stream{};
  // windowBits 15 + 16: a GZIP wrapper (RFC 1952) around the deflate stream, as the spec
  // requires; its header carries no file name and a zero modification time.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");
  }
  std::vector<std::uint8_t> out(deflateBound(&stream, static_cast<uLong>(bits.size())));
  stream.next_in = const_cast<Bytef*>(bits.data());  // zlib's API is not const-correct
  stream.avail_in = static_cast<uInt>(bits.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  const std::size_t written = out.size() - stream.avail_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  out.resize(written);
  std::string encoded(1, 'u');  // multibase: base64url without padding
  encoded += detail::base64url_encode(out);
  return encoded;
}

std::string status_list_credential(const CertificateRegistry& registry,
                                   const StatusListOptions& options, Timestamp at) {
  auto problems = check(options);
  if (at < kEarliestTime || at > kLatestTime) {
    problems.push_back({"status list", "at", std::to_string(at),
                        "must lie in [" + std::to_string(kEarliestTime) + ", " +
                            std::to_string(kLatestTime) + "]"});
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));

  detail::JsonWriter json;
  json.begin_object();
  json.key("@context").begin_array().value("https://www.w3.org/ns/credentials/v2");
  json.begin_object();
  detail::jti_term(json);
  json.end_object();
  json.end_array();
  json.member("id", options.id);
  json.key("type").begin_array().value("VerifiableCredential");
  json.value("BitstringStatusListCredential").end_array();
  json.member("issuer", options.issuer_id);
  json.member("validFrom", utc_timestamp(at));
  json.key("credentialSubject").begin_object();
  json.member("id", options.id + "#list");
  json.member("type", "BitstringStatusList");
  json.member("statusPurpose", "revocation");
  json.member("encodedList", encode_status_list(revocation_bits(registry, at)));
  json.end_object();
  json.end_object();
  return json.text();
}

}  // namespace balai
