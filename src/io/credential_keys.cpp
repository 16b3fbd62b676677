#include "balai/io/credential_keys.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <vector>

#include "balai/core/error.hpp"
#include "balai/core/text.hpp"
#include "base_encodings.hpp"
#include "json_reader.hpp"

namespace balai {
namespace {

// The multicodec varint of "ed25519-pub", which a did:key puts before the key bytes.
constexpr std::array<std::uint8_t, 2> kEd25519Multicodec{0xed, 0x01};
constexpr std::string_view kDidKeyPrefix = "did:key:z";

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

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

}  // namespace

struct SigningKey::Private {
  Pkey key;
};

VerificationKey VerificationKey::from_bytes(std::span<const std::uint8_t> raw) {
  if (raw.size() != 32) {
    throw ValidationError(Problem{"Ed25519 public key", "bytes", std::to_string(raw.size()),
                                  "must be 32 bytes long"});
  }
  std::array<std::uint8_t, 32> bytes{};
  std::ranges::copy(raw, bytes.begin());
  return VerificationKey(bytes);
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
  if (!decoded || decoded->size() != 34 ||
      !std::equal(kEd25519Multicodec.begin(), kEd25519Multicodec.end(), decoded->begin())) {
    throw ValidationError(
        Problem{where, "did", printable(did),
                "must be did:key:z followed by base58btc of 0xed 0x01 and a 32-byte Ed25519 key"});
  }
  return from_bytes(std::span(*decoded).subspan(2));
}

VerificationKey VerificationKey::from_jwk(std::string_view jwk) {
  const std::string where = "public JWK";
  const auto value = detail::parse_json(jwk);
  if (!value || value->type != detail::JsonValue::Type::object) {
    throw ValidationError(Problem{where, "jwk", printable(jwk, 40), "must be one JSON object"});
  }
  // A private JWK is refused rather than used for its public half: whoever passes one is
  // about to publish a secret.
  if (value->find("d") != nullptr) {
    throw ValidationError(
        Problem{where, "d", "(not shown)", "is a private key; a public JWK has no \"d\" member"});
  }
  std::vector<Problem> problems;
  const std::string* kty = value->find_string("kty");
  const std::string* crv = value->find_string("crv");
  const std::string* x = value->find_string("x");
  if (kty == nullptr || *kty != "OKP") {
    problems.push_back({where, "kty", kty ? printable(*kty) : "(missing)", "must be \"OKP\""});
  }
  if (crv == nullptr || *crv != "Ed25519") {
    problems.push_back({where, "crv", crv ? printable(*crv) : "(missing)", "must be \"Ed25519\""});
  }
  const auto bytes = x ? detail::base64url_decode(*x) : std::nullopt;
  if (!bytes || bytes->size() != 32) {
    problems.push_back({where, "x", x ? printable(*x) : "(missing)",
                        "must be 32 bytes in base64url without padding"});
  }
  if (!problems.empty()) throw ValidationError(std::move(problems));
  return from_bytes(*bytes);
}

std::string VerificationKey::did_key() const {
  std::vector<std::uint8_t> prefixed(kEd25519Multicodec.begin(), kEd25519Multicodec.end());
  prefixed.insert(prefixed.end(), bytes_.begin(), bytes_.end());
  return std::string(kDidKeyPrefix) + detail::base58btc_encode(prefixed);
}

std::string VerificationKey::did_key_id() const {
  const std::string did = did_key();
  return did + "#" + did.substr(kDidKeyPrefix.size() - 1);
}

std::string VerificationKey::thumbprint() const {
  // RFC 7638 section 3.2: the required members only, in lexicographic order, no spaces.
  const std::string canonical =
      R"({"crv":"Ed25519","kty":"OKP","x":")" + detail::base64url_encode(bytes_) + R"("})";
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
  return R"({"crv":"Ed25519","kid":")" + thumbprint() + R"(","kty":"OKP","x":")" +
         detail::base64url_encode(bytes_) + R"("})";
}

bool VerificationKey::verifies(std::string_view message,
                               std::span<const std::uint8_t> signature) const {
  if (signature.size() != 64) return false;
  const Pkey key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes_.data(), bytes_.size()));
  const std::unique_ptr<EVP_MD_CTX, MdContextFree> context(EVP_MD_CTX_new());
  if (!key || !context ||
      EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    throw Error("Ed25519 verification is not available in OpenSSL");
  }
  // 1 is a valid signature; 0 and the negative codes (a malformed one) are not.
  return EVP_DigestVerify(context.get(), signature.data(), signature.size(),
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
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    const char* type = EVP_PKEY_get0_type_name(key.get());
    throw ValidationError(Problem{where, "pem", type ? printable(type) : "(unknown key type)",
                                  "must be an Ed25519 private key"});
  }
  std::array<std::uint8_t, 32> raw{};
  std::size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), raw.data(), &length) != 1 || length != raw.size()) {
    throw Error("OpenSSL could not derive the Ed25519 public key");
  }
  auto state = std::make_shared<Private>();
  state->key = std::move(key);
  return SigningKey(std::move(state), VerificationKey::from_bytes(raw));
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
  std::array<std::uint8_t, 64> signature{};
  std::size_t length = signature.size();
  const std::unique_ptr<EVP_MD_CTX, MdContextFree> context(EVP_MD_CTX_new());
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, private_->key.get()) != 1 ||
      EVP_DigestSign(context.get(), signature.data(), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      length != signature.size()) {
    throw Error("Ed25519 signing failed in OpenSSL");
  }
  return signature;
}

}  // namespace balai
