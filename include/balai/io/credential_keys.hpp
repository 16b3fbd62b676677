// The keys that sign and verify balai's credentials, through OpenSSL's libcrypto: Ed25519
// (JWS alg EdDSA, RFC 8037), the default, and ECDSA on P-256 (alg ES256, RFC 7518) for
// verifiers that know no EdDSA.
//
// A SigningKey holds a private key read from PKCS#8 PEM. balai never writes it anywhere:
// the class has no accessor for the key, no stream operator and no serialisation, and
// errors about a bad PEM name its label or its file, never its bytes. A VerificationKey is
// the public half, which an issuer publishes in one of two ways:
//
//   - as a did:key (W3C did:key method): "did:key:z..." is the key itself, a multicodec
//     prefix (0xed 0x01 for Ed25519, 0x80 0x24 for P-256) and the key bytes (the 32 of an
//     Ed25519 key, the compressed point of a P-256 key) in base58btc; a credential whose
//     issuer is that DID needs no other publication;
//   - as a public JWK (kty OKP, crv Ed25519; kty EC, crv P-256) in the JWK set of an https
//     issuer, under its RFC 7638 thumbprint as kid.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "balai/core/enum_names.hpp"
#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

enum class KeyAlgorithm : std::uint8_t {
  ed25519,  // EdDSA: deterministic, the same key and message give the same signature
  p256,     // ES256: ECDSA with SHA-256 and a random nonce, so signatures differ each time
};

template <>
struct EnumNames<KeyAlgorithm> {
  static constexpr std::array<std::string_view, 2> names{"ed25519", "p256"};
};

class VerificationKey {
 public:
  // ValidationError unless `raw` is an Ed25519 public key (32 bytes) or a P-256 point on
  // the curve (33 bytes compressed or 65 uncompressed).
  [[nodiscard]] static VerificationKey from_bytes(KeyAlgorithm algorithm,
                                                  std::span<const std::uint8_t> raw);
  // A did:key of an Ed25519 or P-256 key, or a DID URL of it ("did:key:z...#z...");
  // ValidationError for anything else.
  [[nodiscard]] static VerificationKey from_did_key(std::string_view did);
  // A public JWK, {"kty":"OKP","crv":"Ed25519","x":...} or {"kty":"EC","crv":"P-256",
  // "x":...,"y":...}; ValidationError for anything else, a JWK with a private part ("d")
  // included.
  [[nodiscard]] static VerificationKey from_jwk(std::string_view jwk);

  [[nodiscard]] KeyAlgorithm algorithm() const noexcept { return algorithm_; }
  // The JWS "alg" of the key's signatures: "EdDSA" or "ES256".
  [[nodiscard]] std::string_view jws_algorithm() const noexcept;
  // The Ed25519 key's 32 bytes, or the P-256 point uncompressed (0x04, x, y: 65 bytes).
  [[nodiscard]] std::span<const std::uint8_t> bytes() const noexcept { return bytes_; }
  // "did:key:z...".
  [[nodiscard]] std::string did_key() const;
  // The DID URL naming the key in its DID document: "did:key:z...#z...".
  [[nodiscard]] std::string did_key_id() const;
  // The RFC 7638 JWK thumbprint (SHA-256, base64url).
  [[nodiscard]] std::string thumbprint() const;
  // The public JWK with its thumbprint as kid, members in lexicographic order, ready for
  // a JWK set: {"crv":"Ed25519","kid":...,"kty":"OKP","x":...} or
  // {"crv":"P-256","kid":...,"kty":"EC","x":...,"y":...}.
  [[nodiscard]] std::string jwk() const;

  // Whether `signature` is this key's JWS signature of `message`: 64 bytes, Ed25519's, or
  // ES256's r and s of 32 bytes each.
  [[nodiscard]] bool verifies(std::string_view message,
                              std::span<const std::uint8_t> signature) const;

  friend bool operator==(const VerificationKey&, const VerificationKey&) = default;

 private:
  VerificationKey(KeyAlgorithm algorithm, std::vector<std::uint8_t> bytes)
      : algorithm_(algorithm), bytes_(std::move(bytes)) {}
  // The JWK's members after "crv": "kty" and the coordinates, without the kid.
  [[nodiscard]] std::string jwk_members() const;

  KeyAlgorithm algorithm_;
  std::vector<std::uint8_t> bytes_;
};

class SigningKey {
 public:
  // An unencrypted PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----") of Ed25519 or
  // P-256. ValidationError (field "pem") if it is not one, or another kind of key (the
  // value names the key type).
  [[nodiscard]] static SigningKey from_pem(std::string_view pem);
  // The same from a file; ValidationError (field "path") if it cannot be read.
  [[nodiscard]] static SigningKey from_pem_file(const std::filesystem::path& path);

  [[nodiscard]] const VerificationKey& verification_key() const noexcept { return public_; }
  // The JWS signature of `message` (see VerificationKey::verifies). Ed25519's is
  // deterministic (RFC 8032); ES256's is not. Error if OpenSSL fails.
  [[nodiscard]] std::array<std::uint8_t, 64> sign(std::string_view message) const;

 private:
  struct Private;
  SigningKey(std::shared_ptr<const Private> key, VerificationKey verification_key)
      : private_(std::move(key)), public_(std::move(verification_key)) {}
  static SigningKey from_pem(std::string_view pem, const std::string& where);

  std::shared_ptr<const Private> private_;  // immutable, so copies may share it
  VerificationKey public_;
};

}  // namespace balai
BALAI_EXPORT_END
