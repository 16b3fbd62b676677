#include "balai/io/vc_jose.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/error.hpp"
#include "balai/core/text.hpp"
#include "balai/io/status_list.hpp"
#include "base_encodings.hpp"
#include "json_reader.hpp"
#include "json_writer.hpp"

namespace balai {
namespace {

const std::string kWhere = "vc+jwt";

[[noreturn]] void refuse(std::string field, std::string value, std::string message) {
  throw ValidationError(Problem{kWhere, std::move(field), std::move(value), std::move(message)});
}

std::string kid_of(const VerificationKey& key, KeyIdForm form) {
  return form == KeyIdForm::did_key ? key.did_key_id() : key.thumbprint();
}

// The credential's issuer IRI: the issuer member itself or its "id".
const std::string* issuer_of(const detail::JsonValue& credential) {
  const detail::JsonValue* issuer = credential.find("issuer");
  if (issuer == nullptr) return nullptr;
  if (issuer->type == detail::JsonValue::Type::string) return &issuer->text;
  return issuer->find_string("id");
}

// A did:key issuer claims the key that signs; any other issuer is the caller's to trust.
bool issuer_matches(const std::string* issuer, const VerificationKey& key) {
  return issuer == nullptr || !issuer->starts_with("did:key:") || *issuer == key.did_key();
}

std::vector<std::uint8_t> decode_segment(std::string_view segment, const std::string& field) {
  auto bytes = detail::base64url_decode(segment);
  if (!bytes) refuse(field, printable(segment, 40), "must be base64url without padding");
  return std::move(*bytes);
}

// The header's checks, before the signature is: the alg in particular is decided by the
// verifier, never taken from the token.
void check_header(const detail::JsonValue& header, const VerificationKey& key) {
  const std::string* alg = header.find_string("alg");
  if (alg == nullptr || *alg != key.jws_algorithm()) {
    refuse("header.alg", alg ? printable(*alg) : "(missing)",
           "must be \"" + std::string(key.jws_algorithm()) + "\", the algorithm of the key");
  }
  const std::string* typ = header.find_string("typ");
  if (typ == nullptr || *typ != "vc+jwt") {
    refuse("header.typ", typ ? printable(*typ) : "(missing)", "must be \"vc+jwt\"");
  }
  if (const detail::JsonValue* cty = header.find("cty"); cty != nullptr) {
    if (cty->type != detail::JsonValue::Type::string || cty->text != "vc") {
      refuse("header.cty", printable(cty->text), "must be \"vc\" when present");
    }
  }
  // RFC 7515 section 4.1.11: a verifier must refuse extensions it does not understand,
  // and balai understands none.
  if (header.find("crit") != nullptr) {
    refuse("header.crit", "(present)", "names extensions that balai does not support");
  }
  if (const detail::JsonValue* kid = header.find("kid"); kid != nullptr) {
    if (kid->type != detail::JsonValue::Type::string ||
        (kid->text != key.did_key_id() && kid->text != key.thumbprint())) {
      refuse("header.kid", printable(kid->text), "names a key other than " + key.did_key_id());
    }
  }
}

// A JWT claim (RFC 7519) that Open Badges 3.0 (section 8.2.6.1) asks of a VC-JWT beside
// the credential's own members, each the image of one member: iss of the issuer, jti of
// the id, sub of the subject's id, nbf and exp of validFrom and validUntil as NumericDate.
// OB 3.0 verifiers (openbadgeslib, for one) refuse a VC-JWT without iss and nbf.
struct Claim {
  std::string_view name;
  std::string_view member;  // the credential member it mirrors
  std::string value;        // a string's text or a NumericDate's decimal digits
  std::optional<std::int64_t> numeric_date;

  [[nodiscard]] bool agrees_with(const detail::JsonValue& claim) const {
    const auto type =
        numeric_date ? detail::JsonValue::Type::number : detail::JsonValue::Type::string;
    return claim.type == type && claim.text == value;
  }
};

// The claims `credential` determines; `field` names it in errors ("credential", "payload").
std::vector<Claim> registered_claims(const detail::JsonValue& credential,
                                     const std::string& field) {
  std::vector<Claim> claims;
  const auto add_string = [&](std::string_view name, std::string_view member,
                              const std::string* text) {
    if (text != nullptr) claims.push_back({name, member, *text, std::nullopt});
  };
  add_string("iss", "issuer", issuer_of(credential));
  add_string("jti", "id", credential.find_string("id"));
  if (const detail::JsonValue* subject = credential.find("credentialSubject")) {
    add_string("sub", "credentialSubject.id", subject->find_string("id"));
  }
  const auto add_time = [&](std::string_view name, std::string_view member) {
    if (const std::string* text = credential.find_string(member)) {
      const std::string where = field + "." + std::string(member);
      const std::int64_t seconds = parse_utc_timestamp(*text, where);
      claims.push_back({name, member, std::to_string(seconds), seconds});
    }
  };
  add_time("nbf", "validFrom");
  add_time("exp", "validUntil");
  return claims;
}

// Refuses a claim of `credential` that disagrees with the member it mirrors.
void check_claims(const detail::JsonValue& credential, const std::vector<Claim>& claims,
                  const std::string& field) {
  for (const Claim& claim : claims) {
    const detail::JsonValue* present = credential.find(claim.name);
    if (present != nullptr && !claim.agrees_with(*present)) {
      refuse(field + "." + std::string(claim.name), printable(present->text),
             "must be " + claim.value + ", the image of " + std::string(claim.member));
    }
  }
}

// `credential` (a JSON object's text) with the claims it lacks added as its last members.
std::string with_claims(std::string_view credential, const detail::JsonValue& parsed,
                        const std::vector<Claim>& claims) {
  detail::JsonWriter added;
  added.begin_object();
  for (const Claim& claim : claims) {
    if (parsed.find(claim.name) != nullptr) continue;
    added.key(claim.name);
    if (claim.numeric_date) {
      added.value(*claim.numeric_date);
    } else {
      added.value(claim.value);
    }
  }
  added.end_object();
  const std::string_view members = std::string_view(added.text()).substr(1);  // "...}"
  if (members == "}") return std::string(credential);
  std::string result(credential.substr(0, credential.find_last_of('}')));
  if (!parsed.members.empty()) result += ',';
  return result.append(members);
}

}  // namespace

std::string sign_credential(std::string_view credential, const SigningKey& key, KeyIdForm kid) {
  const auto value = detail::parse_json(credential);
  if (!value || value->type != detail::JsonValue::Type::object) {
    refuse("credential", printable(credential, 40), "must be one JSON object");
  }
  const VerificationKey& public_key = key.verification_key();
  if (const std::string* issuer = issuer_of(*value); !issuer_matches(issuer, public_key)) {
    refuse("credential.issuer", printable(*issuer),
           "is a did:key other than the signing key's " + public_key.did_key());
  }
  const std::vector<Claim> claims = registered_claims(*value, "credential");
  check_claims(*value, claims, "credential");
  const std::string payload = with_claims(credential, *value, claims);
  detail::JsonWriter header;
  header.begin_object();
  header.member("alg", public_key.jws_algorithm());
  header.member("kid", kid_of(public_key, kid));
  header.member("typ", "vc+jwt");
  header.member("cty", "vc");
  header.end_object();
  std::string jws =
      detail::base64url_encode(header.text()) + "." + detail::base64url_encode(payload);
  const auto signature = key.sign(jws);
  return jws + "." + detail::base64url_encode(signature);
}

std::string verify_credential(std::string_view jws, const VerificationKey& key) {
  const auto first = jws.find('.');
  const auto second = first == std::string_view::npos ? first : jws.find('.', first + 1);
  if (second == std::string_view::npos || jws.find('.', second + 1) != std::string_view::npos) {
    refuse("jws", printable(jws, 40), "must be three base64url segments joined by '.'");
  }
  const auto header_bytes = decode_segment(jws.substr(0, first), "header");
  const auto payload_bytes = decode_segment(jws.substr(first + 1, second - first - 1), "payload");
  const auto signature = decode_segment(jws.substr(second + 1), "signature");

  const std::string header_text(header_bytes.begin(), header_bytes.end());
  const auto header = detail::parse_json(header_text);
  if (!header || header->type != detail::JsonValue::Type::object) {
    refuse("header", printable(header_text, 40), "must be one JSON object");
  }
  check_header(*header, key);
  if (!key.verifies(jws.substr(0, second), signature)) {
    refuse("signature", printable(jws.substr(second + 1), 20),
           "does not verify under the key " + key.did_key_id());
  }
  std::string payload(payload_bytes.begin(), payload_bytes.end());
  const auto credential = detail::parse_json(payload);
  if (!credential || credential->type != detail::JsonValue::Type::object) {
    refuse("payload", printable(payload, 40), "must be one JSON object (a credential)");
  }
  if (const std::string* issuer = issuer_of(*credential); !issuer_matches(issuer, key)) {
    refuse("payload.issuer", printable(*issuer),
           "is a did:key other than the verifying key's " + key.did_key());
  }
  check_claims(*credential, registered_claims(*credential, "payload"), "payload");
  return payload;
}

namespace {

// The issuer and kid of a credential signed by `key`: an empty issuer_id becomes the key's
// did:key (kid: its DID URL); a did:key issuer_id must be the key's own; any other issuer
// (an https URL that serves a JWK set) gets the key's JWK thumbprint as kid.
KeyIdForm settle_issuer(std::string& issuer_id, const SigningKey& key, std::string_view where) {
  const VerificationKey& public_key = key.verification_key();
  if (issuer_id.empty()) issuer_id = public_key.did_key();
  if (!issuer_id.starts_with("did:key:")) return KeyIdForm::jwk_thumbprint;
  if (issuer_id != public_key.did_key()) {
    throw ValidationError(
        Problem{std::string(where), "issuer_id", printable(issuer_id),
                "is a did:key other than the signing key's " + public_key.did_key()});
  }
  return KeyIdForm::did_key;
}

}  // namespace

std::string signed_open_badge_credential(const Certificate& certificate, OpenBadgeOptions options,
                                         const SigningKey& key) {
  const KeyIdForm kid = settle_issuer(options.issuer_id, key, "Open Badges options");
  return sign_credential(open_badge_credential(certificate, options), key, kid);
}

std::string signed_open_badge_credential(const CertificateRegistry& registry,
                                         std::string_view serial, OpenBadgeOptions options,
                                         const SigningKey& key) {
  const KeyIdForm kid = settle_issuer(options.issuer_id, key, "Open Badges options");
  return sign_credential(open_badge_credential(registry, serial, options), key, kid);
}

std::string signed_status_list_credential(const CertificateRegistry& registry,
                                          StatusListOptions options, const SigningKey& key,
                                          Timestamp at) {
  const KeyIdForm kid = settle_issuer(options.issuer_id, key, "status list options");
  return sign_credential(status_list_credential(registry, options, at), key, kid);
}

}  // namespace balai
