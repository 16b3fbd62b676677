// The keys that sign and verify balai's credentials: Ed25519 (EdDSA, RFC 8032), through
// OpenSSL's libcrypto.
//
// A SigningKey holds a private key read from PKCS#8 PEM. balai never writes it anywhere:
// the class has no accessor for the key, no stream operator and no serialisation, and
// errors about a bad PEM name its label or its file, never its bytes. A VerificationKey is
// the public half, which an issuer publishes in one of two ways:
//
//   - as a did:key (W3C did:key method): "did:key:z6Mk..." is the key itself, the
//     multicodec prefix 0xed 0x01 and the 32 key bytes in base58btc; a credential whose
//     issuer is that DID needs no other publication;
//   - as a public JWK (RFC 8037: kty OKP, crv Ed25519) in the JWK set of an https issuer,
//     under its RFC 7638 thumbprint as kid.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace balai {

class VerificationKey {
 public:
  // ValidationError unless `raw` is 32 bytes.
  [[nodiscard]] static VerificationKey from_bytes(std::span<const std::uint8_t> raw);
  // A did:key of an Ed25519 key, or a DID URL of it ("did:key:z...#z..."); ValidationError
  // for anything else.
  [[nodiscard]] static VerificationKey from_did_key(std::string_view did);
  // A public JWK {"kty":"OKP","crv":"Ed25519","x":...}; ValidationError for anything else,
  // a JWK with a private part ("d") included.
  [[nodiscard]] static VerificationKey from_jwk(std::string_view jwk);

  [[nodiscard]] const std::array<std::uint8_t, 32>& bytes() const noexcept { return bytes_; }
  // "did:key:z6Mk...".
  [[nodiscard]] std::string did_key() const;
  // The DID URL naming the key in its DID document: "did:key:z6Mk...#z6Mk...".
  [[nodiscard]] std::string did_key_id() const;
  // The RFC 7638 JWK thumbprint (SHA-256, base64url).
  [[nodiscard]] std::string thumbprint() const;
  // The public JWK with its thumbprint as kid, members in lexicographic order, ready for
  // a JWK set: {"crv":"Ed25519","kid":...,"kty":"OKP","x":...}.
  [[nodiscard]] std::string jwk() const;

  // Whether `signature` is this key's Ed25519 signature of `message`.
  [[nodiscard]] bool verifies(std::string_view message,
                              std::span<const std::uint8_t> signature) const;

  friend bool operator==(const VerificationKey&, const VerificationKey&) = default;

 private:
  explicit VerificationKey(const std::array<std::uint8_t, 32>& bytes) : bytes_(bytes) {}
  std::array<std::uint8_t, 32> bytes_;
};

class SigningKey {
 public:
  // An unencrypted PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----"). ValidationError
  // (field "pem") if it is not one, or not Ed25519 (the value names the key type).
  [[nodiscard]] static SigningKey from_pem(std::string_view pem);
  // The same from a file; ValidationError (field "path") if it cannot be read.
  [[nodiscard]] static SigningKey from_pem_file(const std::filesystem::path& path);

  [[nodiscard]] const VerificationKey& verification_key() const noexcept { return public_; }
  // The Ed25519 signature of `message`; deterministic (RFC 8032), so the same key and
  // message give the same signature. Error if OpenSSL fails.
  [[nodiscard]] std::array<std::uint8_t, 64> sign(std::string_view message) const;

 private:
  struct Private;
  SigningKey(std::shared_ptr<const Private> key, const VerificationKey& verification_key)
      : private_(std::move(key)), public_(verification_key) {}
  static SigningKey from_pem(std::string_view pem, const std::string& where);

  std::shared_ptr<const Private> private_;  // immutable, so copies may share it
  VerificationKey public_;
};

}  // namespace balai
