#include "balai/io/credential_keys.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>

#include "balai/core/error.hpp"
#include "balai/core/text.hpp"
#include "base_encodings.hpp"
#include "json_reader.hpp"

namespace balai {
namespace {

// The multicodec varints a did:key puts before the key bytes: "ed25519-pub" (0xed) and
// "p256-pub" (0x1200).
constexpr std::array<std::uint8_t, 2> kEd25519Multicodec{0xed, 0x01};
constexpr std::array<std::uint8_t, 2> kP256Multicodec{0x80, 0x24};
constexpr std::string_view kDidKeyPrefix = "did:key:z";

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct PkeyContextFree {
  void operator()(EVP_PKEY_CTX* context) const { EVP_PKEY_CTX_free(context); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
struct GroupFree {
  void operator()(EC_GROUP* group) const { EC_GROUP_free(group); }
};
struct PointFree {
  void operator()(EC_POINT* point) const { EC_POINT_free(point); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* signature) const { ECDSA_SIG_free(signature); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdContext = std::unique_ptr<EVP_MD_CTX, MdContextFree>;

// OpenSSL asks for a passphrase on the terminal when a PEM is encrypted and no callback is
// given; a library must not, so an encrypted key simply fails to load.
int no_passphrase(char* /*buffer*/, int /*size*/, int /*rwflag*/, void* /*user*/) { return -1; }

// What an error may say about a PEM text: its BEGIN line, which names the kind of key and
// none of its bytes, or only its size.
std::string pem_label(std::string_view pem) {
  const auto begin = pem.find("-----BEGIN ");
  if (begin != std::string_view::npos) {
    const auto end = pem.find("-----", begin + 11);
    if (end != std::string_view::npos) return printable(pem.substr(begin, end + 5 - begin));
  }
  return "(" + std::to_string(pem.size()) + " bytes, no PEM BEGIN line)";
}

// A string whose bytes are wiped before its memory is freed: a key file's text.
struct WipedText {
  std::string text;
  WipedText() = default;
  WipedText(const WipedText&) = delete;
  WipedText& operator=(const WipedText&) = delete;
  ~WipedText() { OPENSSL_cleanse(text.data(), text.size()); }
};

// `encoded` (SEC 1: 0x02 or 0x03 and x, or 0x04, x and y) as a P-256 point in `form`, or
// nothing if it is not a point on the curve.
std::optional<std::vector<std::uint8_t>> p256_point(std::span<const std::uint8_t> encoded,
                                                    point_conversion_form_t form) {
  const bool compressed = encoded.size() == 33 && (encoded[0] == 0x02 || encoded[0] == 0x03);
  const bool uncompressed = encoded.size() == 65 && encoded[0] == 0x04;
  if (!compressed && !uncompressed) return std::nullopt;
  const std::unique_ptr<EC_GROUP, GroupFree> group(
      EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  const std::unique_ptr<EC_POINT, PointFree> point(group ? EC_POINT_new(group.get()) : nullptr);
  if (!point) throw Error("OpenSSL could not make a P-256 point");
  // oct2point refuses coordinates that are not on the curve.
  if (EC_POINT_oct2point(group.get(), point.get(), encoded.data(), encoded.size(), nullptr) != 1) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> out(form == POINT_CONVERSION_COMPRESSED ? 33 : 65);
  if (EC_POINT_point2oct(group.get(), point.get(), form, out.data(), out.size(), nullptr) !=
      out.size()) {
    throw Error("OpenSSL could not encode a P-256 point");
  }
  return out;
}

// The OpenSSL key of a verification key's bytes.
Pkey public_pkey(KeyAlgorithm algorithm, std::span<const std::uint8_t> bytes) {
  if (algorithm == KeyAlgorithm::ed25519) {
    Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes.data(), bytes.size()));
    if (!key) throw Error("OpenSSL could not make an Ed25519 public key");
    return key;
  }
  char group[] = "prime256v1";
  std::vector<std::uint8_t> point(bytes.begin(), bytes.end());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  const std::unique_ptr<EVP_PKEY_CTX, PkeyContextFree> context(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    throw Error("OpenSSL could not make a P-256 public key");
  }
  return Pkey(key);
}

// ES256's r and s, 32 bytes each, as the DER ECDSA-Sig-Value OpenSSL reads, or nothing if
// OpenSSL cannot make one.
std::optional<std::vector<std::uint8_t>> ecdsa_der(std::span<const std::uint8_t> signature) {
  const std::unique_ptr<ECDSA_SIG, EcdsaSigFree> value(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(signature.data(), 32, nullptr);
  BIGNUM* s = BN_bin2bn(signature.data() + 32, 32, nullptr);
  if (!value || r == nullptr || s == nullptr || ECDSA_SIG_set0(value.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  const int size = i2d_ECDSA_SIG(value.get(), nullptr);
  if (size <= 0) return std::nullopt;
  std::vector<std::uint8_t> der(static_cast<std::size_t>(size));
  unsigned char* out = der.data();
  if (i2d_ECDSA_SIG(value.get(), &out) != size) return std::nullopt;
  return der;
}

[[noreturn]] void refuse_jwk(std::string field, const std::string* value, std::string message) {
  throw ValidationError(Problem{"public JWK", std::move(field),
                                value != nullptr ? printable(*value) : "(missing)",
                                std::move(message)});
}

}  // namespace

struct SigningKey::Private {
  Pkey key;
};

VerificationKey VerificationKey::from_bytes(KeyAlgorithm algorithm,
                                            std::span<const std::uint8_t> raw) {
  if (algorithm == KeyAlgorithm::ed25519) {
    if (raw.size() != 32) {
      throw ValidationError(Problem{"Ed25519 public key", "bytes", std::to_string(raw.size()),
                                    "must be 32 bytes long"});
    }
    return VerificationKey(algorithm, std::vector<std::uint8_t>(raw.begin(), raw.end()));
  }
  auto point = p256_point(raw, POINT_CONVERSION_UNCOMPRESSED);
  if (!point) {
    throw ValidationError(Problem{"P-256 public key", "bytes", std::to_string(raw.size()),
                                  "must be a point on P-256, 33 bytes compressed or 65 not"});
  }
  return VerificationKey(algorithm, std::move(*point));
}

VerificationKey VerificationKey::from_did_key(std::string_view did) {
  const std::string where = "did:key";
  // A DID URL naming the key in its own document has the method-specific id again as its
  // fragment; any other fragment names something else.
  std::string_view id = did;
  if (const auto hash = did.find('#'); hash != std::string_view::npos) {
    id = did.substr(0, hash);
    if (did.substr(hash + 1) != id.substr(kDidKeyPrefix.size() - 1)) {
      throw ValidationError(Problem{where, "did", printable(did),
                                    "has a fragment that is not the key's own multibase id"});
    }
  }
  std::optional<std::vector<std::uint8_t>> decoded;
  if (id.starts_with(kDidKeyPrefix)) {
    decoded = detail::base58btc_decode(id.substr(kDidKeyPrefix.size()));
  }
  const auto has_prefix = [&](const std::array<std::uint8_t, 2>& prefix, std::size_t size) {
    return decoded && decoded->size() == size &&
           std::equal(prefix.begin(), prefix.end(), decoded->begin());
  };
  std::optional<VerificationKey> key;
  if (has_prefix(kEd25519Multicodec, 34)) {
    key = from_bytes(KeyAlgorithm::ed25519, std::span(*decoded).subspan(2));
  } else if (has_prefix(kP256Multicodec, 35)) {
    if (auto point = p256_point(std::span(*decoded).subspan(2), POINT_CONVERSION_UNCOMPRESSED)) {
      key = VerificationKey(KeyAlgorithm::p256, std::move(*point));
    }
  }
  if (!key) {
    throw ValidationError(
        Problem{where, "did", printable(did),
                "must be did:key:z and base58btc of 0xed 0x01 and a 32-byte Ed25519 key, or of "
                "0x80 0x24 and a compressed P-256 point"});
  }
  return *key;
}

VerificationKey VerificationKey::from_jwk(std::string_view jwk) {
  const auto value = detail::parse_json(jwk);
  if (!value || value->type != detail::JsonValue::Type::object) {
    const std::string text(jwk.substr(0, 40));
    refuse_jwk("jwk", &text, "must be one JSON object");
  }
  // A private JWK is refused rather than used for its public half: whoever passes one is
  // about to publish a secret.
  if (value->find("d") != nullptr) {
    const std::string hidden = "(not shown)";
    refuse_jwk("d", &hidden, "is a private key; a public JWK has no \"d\" member");
  }
  const std::string* kty = value->find_string("kty");
  const std::string* crv = value->find_string("crv");
  // A 32-byte coordinate or key in base64url, or nothing.
  const std::string kCoordinateRule = "must be 32 bytes in base64url without padding";
  const auto coordinate = [&](std::string_view name) -> std::optional<std::vector<std::uint8_t>> {
    const std::string* text = value->find_string(name);
    auto bytes = text ? detail::base64url_decode(*text) : std::nullopt;
    if (!bytes || bytes->size() != 32) return std::nullopt;
    return bytes;
  };
  if (kty != nullptr && *kty == "OKP") {
    if (crv == nullptr || *crv != "Ed25519") refuse_jwk("crv", crv, "must be \"Ed25519\" for OKP");
    const auto x = coordinate("x");
    if (!x) refuse_jwk("x", value->find_string("x"), kCoordinateRule);
    return from_bytes(KeyAlgorithm::ed25519, *x);
  }
  if (kty != nullptr && *kty == "EC") {
    if (crv == nullptr || *crv != "P-256") refuse_jwk("crv", crv, "must be \"P-256\" for EC");
    const auto x = coordinate("x");
    const auto y = coordinate("y");
    if (!x) refuse_jwk("x", value->find_string("x"), kCoordinateRule);
    if (!y) refuse_jwk("y", value->find_string("y"), kCoordinateRule);
    std::vector<std::uint8_t> encoded{0x04};
    encoded.insert(encoded.end(), x->begin(), x->end());
    encoded.insert(encoded.end(), y->begin(), y->end());
    auto point = p256_point(encoded, POINT_CONVERSION_UNCOMPRESSED);
    if (!point) refuse_jwk("x", value->find_string("x"), "is, with y, no point on P-256");
    return VerificationKey(KeyAlgorithm::p256, std::move(*point));
  }
  refuse_jwk("kty", kty, "must be \"OKP\" (Ed25519) or \"EC\" (P-256)");
}

std::string_view VerificationKey::jws_algorithm() const noexcept {
  return algorithm_ == KeyAlgorithm::ed25519 ? "EdDSA" : "ES256";
}

std::string VerificationKey::did_key() const {
  std::vector<std::uint8_t> prefixed;
  if (algorithm_ == KeyAlgorithm::ed25519) {
    prefixed.assign(kEd25519Multicodec.begin(), kEd25519Multicodec.end());
    prefixed.insert(prefixed.end(), bytes_.begin(), bytes_.end());
  } else {
    prefixed.assign(kP256Multicodec.begin(), kP256Multicodec.end());
    const auto point = p256_point(bytes_, POINT_CONVERSION_COMPRESSED);
    prefixed.insert(prefixed.end(), point->begin(), point->end());
  }
  return std::string(kDidKeyPrefix) + detail::base58btc_encode(prefixed);
}

std::string VerificationKey::did_key_id() const {
  const std::string did = did_key();
  return did + "#" + did.substr(kDidKeyPrefix.size() - 1);
}

std::string VerificationKey::jwk_members() const {
  if (algorithm_ == KeyAlgorithm::ed25519) {
    return R"("kty":"OKP","x":")" + detail::base64url_encode(bytes_) + "\"";
  }
  const auto coordinates = std::span(bytes_).subspan(1);
  return R"("kty":"EC","x":")" + detail::base64url_encode(coordinates.first(32)) + R"(","y":")" +
         detail::base64url_encode(coordinates.last(32)) + "\"";
}

std::string VerificationKey::thumbprint() const {
  // RFC 7638 section 3.2: the required members only, in lexicographic order, no spaces.
  const std::string crv = algorithm_ == KeyAlgorithm::ed25519 ? "Ed25519" : "P-256";
  const std::string canonical = R"({"crv":")" + crv + "\"," + jwk_members() + "}";
  std::array<std::uint8_t, 32> digest{};
  unsigned length = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest.data(), &length, EVP_sha256(),
                 nullptr) != 1 ||
      length != digest.size()) {
    throw Error("SHA-256 failed in OpenSSL");
  }
  return detail::base64url_encode(digest);
}

std::string VerificationKey::jwk() const {
  const std::string crv = algorithm_ == KeyAlgorithm::ed25519 ? "Ed25519" : "P-256";
  return R"({"crv":")" + crv + R"(","kid":")" + thumbprint() + "\"," + jwk_members() + "}";
}

bool VerificationKey::verifies(std::string_view message,
                               std::span<const std::uint8_t> signature) const {
  if (signature.size() != 64) return false;
  const Pkey key = public_pkey(algorithm_, bytes_);
  const MdContext context(EVP_MD_CTX_new());
  // Ed25519 hashes inside the signature scheme; ES256 signs the SHA-256 of the message, as
  // the DER ECDSA-Sig-Value that OpenSSL reads rather than JWS's r and s.
  const EVP_MD* digest = algorithm_ == KeyAlgorithm::ed25519 ? nullptr : EVP_sha256();
  std::vector<std::uint8_t> der(signature.begin(), signature.end());
  if (algorithm_ == KeyAlgorithm::p256) {
    auto converted = ecdsa_der(signature);
    if (!converted) return false;
    der = std::move(*converted);
  }
  if (!context || EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key.get()) != 1) {
    throw Error("signature verification is not available in OpenSSL");
  }
  // 1 is a valid signature; 0 and the negative codes (a malformed one) are not.
  return EVP_DigestVerify(context.get(), der.data(), der.size(),
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

SigningKey SigningKey::from_pem(std::string_view pem) { return from_pem(pem, "signing key"); }

SigningKey SigningKey::from_pem(std::string_view pem, const std::string& where) {
  const std::unique_ptr<BIO, BioFree> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(std::min<std::size_t>(pem.size(), INT32_MAX))));
  if (!bio) throw Error("OpenSSL could not allocate a buffer");
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &no_passphrase, nullptr));
  if (!key) {
    throw ValidationError(
        Problem{where, "pem", pem_label(pem), "must be an unencrypted PKCS#8 PEM private key"});
  }
  std::optional<VerificationKey> public_key;
  if (EVP_PKEY_get_id(key.get()) == EVP_PKEY_ED25519) {
    std::array<std::uint8_t, 32> raw{};
    std::size_t length = raw.size();
    if (EVP_PKEY_get_raw_public_key(key.get(), raw.data(), &length) != 1 || length != raw.size()) {
      throw Error("OpenSSL could not derive the Ed25519 public key");
    }
    public_key = VerificationKey::from_bytes(KeyAlgorithm::ed25519, raw);
  } else if (EVP_PKEY_get_id(key.get()) == EVP_PKEY_EC) {
    char group[32] = {};
    std::array<std::uint8_t, 65> point{};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       nullptr) != 1) {
      group[0] = '\0';
    }
    if (std::string_view(group) != "prime256v1") {
      throw ValidationError(Problem{where, "pem", "EC " + printable(group),
                                    "must be an Ed25519 or P-256 private key"});
    }
    if (EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size(), &length) != 1) {
      throw Error("OpenSSL could not derive the P-256 public key");
    }
    public_key = VerificationKey::from_bytes(KeyAlgorithm::p256, std::span(point).first(length));
  } else {
    const char* type = EVP_PKEY_get0_type_name(key.get());
    throw ValidationError(Problem{where, "pem", type ? printable(type) : "(unknown key type)",
                                  "must be an Ed25519 or P-256 private key"});
  }
  auto state = std::make_shared<Private>();
  state->key = std::move(key);
  return SigningKey(std::move(state), std::move(*public_key));
}

SigningKey SigningKey::from_pem_file(const std::filesystem::path& path) {
  const std::string where = "signing key file " + printable(path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ValidationError(Problem{where, "path", printable(path.string()), "cannot be read"});
  }
  WipedText pem;
  pem.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return from_pem(pem.text, where);
}

std::array<std::uint8_t, 64> SigningKey::sign(std::string_view message) const {
  const bool ed25519 = public_.algorithm() == KeyAlgorithm::ed25519;
  std::array<std::uint8_t, 72> der{};  // the longest DER ECDSA-Sig-Value on P-256
  std::size_t length = der.size();
  const MdContext context(EVP_MD_CTX_new());
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, ed25519 ? nullptr : EVP_sha256(), nullptr,
                         private_->key.get()) != 1 ||
      EVP_DigestSign(context.get(), der.data(), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    throw Error("signing failed in OpenSSL");
  }
  std::array<std::uint8_t, 64> signature{};
  if (ed25519) {
    if (length != signature.size()) throw Error("Ed25519 signing failed in OpenSSL");
    std::copy_n(der.begin(), signature.size(), signature.begin());
    return signature;
  }
  // JWS wants r and s as two 32-byte numbers, not OpenSSL's DER.
  const unsigned char* in = der.data();
  const std::unique_ptr<ECDSA_SIG, EcdsaSigFree> value(
      d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(length)));
  if (!value || BN_bn2binpad(ECDSA_SIG_get0_r(value.get()), signature.data(), 32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(value.get()), signature.data() + 32, 32) != 32) {
    throw Error("ES256 signing failed in OpenSSL");
  }
  return signature;
}

}  // namespace balai
