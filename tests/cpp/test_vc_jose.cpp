// Signed credentials (VC-JOSE, Ed25519): RFC 8032 section 7.1 and RFC 8037 Appendix A as
// known answers for keys, thumbprints and signatures, a did:key from the did:key method's
// examples, the strict base64url and base58btc decoders, keys refused for their form or
// type without their bytes in the message, and vc+jwt signing and verifying:
// deterministic, refused after a one-character change anywhere, under another key, or
// with another typ or alg.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "../../src/io/base_encodings.hpp"
#include "balai/core/text.hpp"
#include "balai/io/credential_keys.hpp"
#include "balai/io/vc_jose.hpp"
#include "temp_dir.hpp"

using namespace balai;

namespace {

// RFC 8037 Appendix A.1: the private key d = nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A
// as PKCS#8 PEM (the fixed 16-byte Ed25519 prefix, then d).
constexpr std::string_view kRfcPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kRfcX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

// RFC 7515 Appendix A.3: the P-256 key of the ES256 example (d = jpsQnnGQ...E9LI) as
// PKCS#8 PEM, and its public JWK.
constexpr std::string_view kEs256Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjpsQnnGQmL+YBIff\n"
    "H1136cspYG6+0iY7X1fCE9+E9LKhRANCAAR/zc4ncPbEXUGDy+5v20t7WAczNXvp\n"
    "7xO6z248e9FURcfxRM0bvZt+hyzf7bnuufSzaV1uqQskrYpGIyiFiOWt\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kEs256Jwk =
    R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
    R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";

// Keys made for these tests with `openssl genpkey`.
constexpr std::string_view kOtherPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIESwxoAKL6/V9S42Ljt+YfNGu3zJAxjZW5Y67WURqIKS\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kEd448Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MEcCAQAwBQYDK2VxBDsEOVgh9zG8Htm3YN5qigmD4GPY9WV33vVF/hG7z6BxPhz3\n"
    "QB37UWZPu+zCh8kItTKvGZ+EaDVjYVxBKA==\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kP384Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDDrHd/ybZQfSh3jgEFP\n"
    "oSDL7i0s+Yj/VRWW1B31mIdA7jqlsWxaRNp4xjDqrmBQACmhZANiAASd+bLVUm0+\n"
    "q9aDhnRmjSHISkXtjOuVnjE8EG4jS3R6ay8vdsQIUWkufOJjAv9Naf82mc5TfaJv\n"
    "alMxUQ96I/Ft9CFM298czNZ2v2HCAeqi5q6P2G+LdBgKG3txc+c8l+0=\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kEncryptedPem =  // passphrase "secret"
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
    "MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjdWlpfdbV7zwICCAAw\n"
    "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEPvYkAApY/Ao3Gznxb/rng4EQPfn\n"
    "L8GP3U5iki3b1B/nbzpzeEQ2KaULRzzwTOt2ktVsgO5PYr0PJJSyqvGl8eUy4dFK\n"
    "bM+tipcQwY742OcpiK8=\n"
    "-----END ENCRYPTED PRIVATE KEY-----\n";

constexpr std::string_view kCredential =
    R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],)"
    R"("issuer":"https://umkm.example.go.id/issuer","credentialSubject":{"id":"urn:uuid:1"}})";

// kCredential as signed: the JWT claims its issuer and subject's id give, added last.
const std::string kSecured = std::string(kCredential.substr(0, kCredential.size() - 1)) +
                             R"(,"iss":"https://umkm.example.go.id/issuer","sub":"urn:uuid:1"})";

std::string bytes_text(const std::vector<std::uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// The problems' fields of the ValidationError that `call` throws, and its message.
template <class F>
std::pair<std::vector<std::string>, std::string> refusal(F&& call) {
  try {
    call();
  } catch (const ValidationError& error) {
    std::vector<std::string> fields;
    for (const auto& problem : error.problems()) fields.push_back(problem.field);
    return {fields, error.what()};
  }
  FAIL("no ValidationError");
  return {};
}

// One character of `text` replaced by another of the base64url alphabet.
std::string changed(std::string text, std::size_t at) {
  text[at] = text[at] == 'A' ? 'B' : 'A';
  return text;
}

}  // namespace

TEST_CASE("RFC 8037 Appendix A: public key, thumbprint and EdDSA signature", "[vc_jose][quick]") {
  const auto key = SigningKey::from_pem(kRfcPem);
  CHECK(detail::base64url_encode(key.verification_key().bytes()) == kRfcX);
  // A.3: the RFC 7638 thumbprint.
  CHECK(key.verification_key().thumbprint() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  // A.4: the JWS of "Example of Ed25519 signing" with the header {"alg":"EdDSA"}.
  const std::string input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
  const auto signature = key.sign(input);
  CHECK(detail::base64url_encode(signature) ==
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
  // A.5: verification, with the public JWK alone.
  const auto jwk = VerificationKey::from_jwk(
      R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
  CHECK(jwk == key.verification_key());
  CHECK(jwk.verifies(input, signature));
  CHECK_FALSE(jwk.verifies(input + " ", signature));
  CHECK(jwk.jwk() == R"({"crv":"Ed25519","kid":"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",)"
                     R"("kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
}

TEST_CASE("RFC 8032 section 7.1, tests 1 and 2", "[vc_jose][quick]") {
  // RFC 8037's key is test 1's secret key; test 2's, 4ccd089b...a6fb, as PKCS#8 PEM.
  const auto one = SigningKey::from_pem(kRfcPem);
  CHECK(to_hex(one.verification_key().bytes()) ==
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  CHECK(to_hex(one.sign("")) ==
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
        "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  const auto two = SigningKey::from_pem(
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7\n"
      "-----END PRIVATE KEY-----\n");
  CHECK(to_hex(two.verification_key().bytes()) ==
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  CHECK(to_hex(two.sign("\x72")) ==
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f36"
        "13d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
}

TEST_CASE("did:key: the method's Ed25519 example, and refusals", "[vc_jose][quick]") {
  // The did:key method's Ed25519 example lists the key as publicKeyBase58 beside its DID.
  const std::string did = "did:key:z6Mkgg342Ycpuk263R9d8Aq6MUaxPn1DDeHyGo38EefXmgDL";
  const auto raw = detail::base58btc_decode("3Dn1SJNPaCXcvvJvSbsFWP2xaCjMom3can8CQNhWrTRx");
  REQUIRE(raw);
  const auto key = VerificationKey::from_bytes(KeyAlgorithm::ed25519, *raw);
  CHECK(key.did_key() == did);
  CHECK(key.did_key_id() == did + "#z6Mkgg342Ycpuk263R9d8Aq6MUaxPn1DDeHyGo38EefXmgDL");
  CHECK(VerificationKey::from_did_key(did) == key);
  CHECK(VerificationKey::from_did_key(key.did_key_id()) == key);

  for (const std::string& bad :
       {std::string("did:key:z6Mkgg342Ycpuk263R9d8Aq6MUaxPn1DDeHyGo38EefXmgD"),  // short
        std::string("did:web:example.com"), did + "#key-1", std::string("did:key:zIII"),
        // an X25519 did:key (multicodec 0xec): a key, but not one that signs
        std::string("did:key:z6LSbkodSr6SU2trs8VUgnrnWtSm7BAPG245ggrBmSrxbv1R")}) {
    CAPTURE(bad);
    const auto [fields, message] = refusal([&] { (void)VerificationKey::from_did_key(bad); });
    CHECK(fields == std::vector<std::string>{"did"});
  }
}

TEST_CASE("base64url and base58btc decode only canonical text", "[vc_jose][quick]") {
  CHECK(detail::base64url_encode(std::string_view("")) == "");
  CHECK(detail::base64url_encode(std::string_view("\xfb\xff")) == "-_8");
  CHECK(bytes_text(*detail::base64url_decode("-_8")) == "\xfb\xff");
  CHECK_FALSE(detail::base64url_decode("-_9"));   // bits past the last byte
  CHECK_FALSE(detail::base64url_decode("-_8="));  // padding
  CHECK_FALSE(detail::base64url_decode("+/8"));   // base64, not base64url
  CHECK_FALSE(detail::base64url_decode("A"));     // no byte count ends in one character

  const std::vector<std::uint8_t> zeros{0, 0, 1, 255};
  CHECK(detail::base58btc_encode(zeros) == "119p");
  CHECK(*detail::base58btc_decode("119p") == zeros);
  CHECK_FALSE(detail::base58btc_decode("0OIl"));  // not in the alphabet
  CHECK(detail::base58btc_decode("").value().empty());
}

TEST_CASE("keys: bad PEM and other key types are refused without their bytes", "[vc_jose][quick]") {
  const auto [ed448, ed448_message] = refusal([] { (void)SigningKey::from_pem(kEd448Pem); });
  CHECK(ed448 == std::vector<std::string>{"pem"});
  CHECK_THAT(ed448_message, Catch::Contains("ED448") && Catch::Contains("Ed25519 or P-256"));
  const auto [p384, p384_message] = refusal([] { (void)SigningKey::from_pem(kP384Pem); });
  CHECK(p384 == std::vector<std::string>{"pem"});
  CHECK_THAT(p384_message, Catch::Contains("EC secp384r1"));

  const auto [encrypted, encrypted_message] =
      refusal([] { (void)SigningKey::from_pem(kEncryptedPem); });
  CHECK(encrypted == std::vector<std::string>{"pem"});
  CHECK_THAT(encrypted_message, Catch::Contains("BEGIN ENCRYPTED PRIVATE KEY"));

  // Base64 without PEM lines: the message gives its size, not the text.
  const std::string body = "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g";
  const auto [bare, bare_message] = refusal([&] { (void)SigningKey::from_pem(body); });
  CHECK(bare == std::vector<std::string>{"pem"});
  CHECK_THAT(bare_message, !Catch::Contains("MC4CAQAw") && Catch::Contains("64 bytes"));

  // A PEM whose body is damaged: the BEGIN line, never the body, is named.
  std::string damaged(kRfcPem);
  damaged.replace(damaged.find("MC4C"), 4, "!!!!");
  const auto [broken, broken_message] = refusal([&] { (void)SigningKey::from_pem(damaged); });
  CHECK_THAT(broken_message, !Catch::Contains("JLsLMREScVpezJp"));

  const auto [jwk, jwk_message] = refusal([] {
    (void)VerificationKey::from_jwk(
        R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",)"
        R"("d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"})");
  });
  CHECK(jwk == std::vector<std::string>{"d"});
  CHECK_THAT(jwk_message, !Catch::Contains("nWGxne"));
  const auto jwk_field = [](std::string_view text) {
    return refusal([&] { (void)VerificationKey::from_jwk(text); }).first;
  };
  CHECK(jwk_field(R"({"kty":"RSA","n":"AQAB"})") == std::vector<std::string>{"kty"});
  CHECK(jwk_field(R"({"kty":"OKP","crv":"X25519","x":"AA"})") == std::vector<std::string>{"crv"});
  CHECK(jwk_field(R"({"kty":"EC","crv":"P-256","x":"AA"})") == std::vector<std::string>{"x"});
  CHECK(jwk_field(R"({"kty":"EC","crv":"P-384","x":"AA","y":"AA"})") ==
        std::vector<std::string>{"crv"});
  // x and y of RFC 7515's key with y's last byte changed: no point on the curve.
  CHECK(jwk_field(R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
                  R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5aw"})") ==
        std::vector<std::string>{"x"});
  CHECK(jwk_field("[]") == std::vector<std::string>{"jwk"});
}

TEST_CASE("keys load from a PEM file; a missing file names its path", "[vc_jose][quick]") {
  const balai::testing::TempDir dir("vc-jose");
  const auto path = dir / "issuer.pem";
  std::ofstream(path) << kRfcPem;
  CHECK(SigningKey::from_pem_file(path).verification_key() ==
        SigningKey::from_pem(kRfcPem).verification_key());
  const auto [fields, message] =
      refusal([&] { (void)SigningKey::from_pem_file(dir / "missing.pem"); });
  CHECK(fields == std::vector<std::string>{"path"});
  CHECK_THAT(message, Catch::Contains("missing.pem"));
  std::ofstream(dir / "ed448.pem") << kEd448Pem;
  const auto [ed448, ed448_message] =
      refusal([&] { (void)SigningKey::from_pem_file(dir / "ed448.pem"); });
  CHECK_THAT(ed448_message, Catch::Contains("ed448.pem") && Catch::Contains("ED448"));
}

TEST_CASE("vc+jwt: header, payload as is, deterministic, verified by its key", "[vc_jose][quick]") {
  const auto key = SigningKey::from_pem(kRfcPem);
  const VerificationKey& public_key = key.verification_key();
  const std::string jws = sign_credential(kCredential, key);
  CHECK(jws == sign_credential(kCredential, key));  // RFC 8032 signatures are deterministic

  const auto first = jws.find('.');
  const auto second = jws.find('.', first + 1);
  CHECK(bytes_text(*detail::base64url_decode(jws.substr(0, first))) ==
        R"({"alg":"EdDSA","kid":")" + public_key.did_key_id() + R"(","typ":"vc+jwt","cty":"vc"})");
  CHECK(bytes_text(*detail::base64url_decode(jws.substr(first + 1, second - first - 1))) ==
        kSecured);
  CHECK(verify_credential(jws, public_key) == kSecured);
  CHECK(verify_credential(jws, VerificationKey::from_did_key(public_key.did_key())) == kSecured);
  CHECK(sign_credential(kSecured, key) == jws);  // the claims it carries agree: none added

  // The thumbprint as kid, for issuers that publish a JWK set.
  const std::string by_thumbprint = sign_credential(kCredential, key, KeyIdForm::jwk_thumbprint);
  CHECK(bytes_text(*detail::base64url_decode(by_thumbprint.substr(0, by_thumbprint.find('.'))))
            .find(public_key.thumbprint()) != std::string::npos);
  CHECK(verify_credential(by_thumbprint, public_key) == kSecured);
}

TEST_CASE("vc+jwt: a one-character change anywhere is refused", "[vc_jose][quick]") {
  const auto key = SigningKey::from_pem(kRfcPem);
  const std::string jws = sign_credential(kCredential, key);
  for (std::size_t at = 0; at < jws.size(); ++at) {
    if (jws[at] == '.') continue;
    CAPTURE(at);
    CHECK_THROWS_AS(verify_credential(changed(jws, at), key.verification_key()), ValidationError);
  }
  // The dots too: a segment moved by one character is no JWS of this credential.
  std::string shifted = jws;
  const auto dot = shifted.find('.');
  std::swap(shifted[dot], shifted[dot + 1]);
  CHECK_THROWS_AS(verify_credential(shifted, key.verification_key()), ValidationError);
}

TEST_CASE("vc+jwt: another key, alg, typ, kid or extension is refused", "[vc_jose][quick]") {
  const auto key = SigningKey::from_pem(kRfcPem);
  const auto other = SigningKey::from_pem(kOtherPem);
  const std::string jws = sign_credential(kCredential, key);
  const std::string payload = jws.substr(jws.find('.'), jws.rfind('.') - jws.find('.'));

  // Under the other key the kid names the wrong key; without a kid the signature fails.
  CHECK(refusal([&] { (void)verify_credential(jws, other.verification_key()); }).first ==
        std::vector<std::string>{"header.kid"});

  // A JWS with `header`, signed by `signer`, over the same payload.
  const auto with_header = [&](std::string_view header, const SigningKey& signer) {
    const std::string input = detail::base64url_encode(header) + payload;
    return input + "." + detail::base64url_encode(signer.sign(input));
  };
  const auto field_refused = [&](std::string_view header, const SigningKey& signer) {
    const auto fields =
        refusal([&] {
          (void)verify_credential(with_header(header, signer), key.verification_key());
        }).first;
    return fields.empty() ? std::string() : fields.front();
  };
  CHECK(field_refused(R"({"alg":"EdDSA","typ":"vc+jwt"})", other) == "signature");
  CHECK(field_refused(R"({"alg":"ES256","typ":"vc+jwt"})", key) == "header.alg");
  CHECK(field_refused(R"({"alg":"none","typ":"vc+jwt"})", key) == "header.alg");
  CHECK(field_refused(R"({"typ":"vc+jwt"})", key) == "header.alg");
  CHECK(field_refused(R"({"alg":"EdDSA","typ":"JWT"})", key) == "header.typ");
  CHECK(field_refused(R"({"alg":"EdDSA"})", key) == "header.typ");
  CHECK(field_refused(R"({"alg":"EdDSA","typ":"vc+jwt","cty":"vp"})", key) == "header.cty");
  CHECK(field_refused(R"({"alg":"EdDSA","typ":"vc+jwt","crit":["b64"],"b64":false})", key) ==
        "header.crit");
  CHECK(field_refused(R"({"alg":"EdDSA","typ":"vc+jwt","kid":"other"})", key) == "header.kid");
  CHECK(field_refused(R"({"alg":"EdDSA","alg":"EdDSA","typ":"vc+jwt"})", key) == "header");
  CHECK(field_refused(R"({"alg":"EdDSA","typ":"vc+jwt"} x)", key) == "header");

  CHECK(refusal([&] { (void)verify_credential("a.b", key.verification_key()); }).first ==
        std::vector<std::string>{"jws"});
  CHECK(refusal([&] { (void)verify_credential(jws + ".x", key.verification_key()); }).first ==
        std::vector<std::string>{"jws"});
}

TEST_CASE("vc+jwt: a header without kid verifies; only JSON objects are signed",
          "[vc_jose][quick]") {
  const auto key = SigningKey::from_pem(kRfcPem);
  const std::string header = R"({"alg":"EdDSA","typ":"vc+jwt"})";
  const std::string input =
      detail::base64url_encode(header) + "." + detail::base64url_encode(kCredential);
  CHECK(verify_credential(input + "." + detail::base64url_encode(key.sign(input)),
                          key.verification_key()) == kCredential);

  for (const std::string_view bad : {"[1]", "{\"a\":1", "", "{} {}"}) {
    CAPTURE(bad);
    CHECK(refusal([&] { (void)sign_credential(bad, key); }).first ==
          std::vector<std::string>{"credential"});
  }
  // A credential claiming another key's did:key as its issuer.
  const auto other = SigningKey::from_pem(kOtherPem);
  const std::string claimed =
      R"({"issuer":{"id":")" + other.verification_key().did_key() + R"("}})";
  CHECK(refusal([&] { (void)sign_credential(claimed, key); }).first ==
        std::vector<std::string>{"credential.issuer"});
  const std::string forged_input =
      detail::base64url_encode(header) + "." + detail::base64url_encode(claimed);
  CHECK(refusal([&] {
          (void)verify_credential(
              forged_input + "." + detail::base64url_encode(key.sign(forged_input)),
              key.verification_key());
        }).first == std::vector<std::string>{"payload.issuer"});
}

TEST_CASE("signed Open Badges credential: did:key or https issuer", "[vc_jose][quick]") {
  const auto key = SigningKey::from_pem(kRfcPem);
  Certificate certificate;
  certificate.serial = "0b6f3d2e-8c1a-5f4e-9a7b-2c3d4e5f6a7b";
  certificate.registration = Uuid::parse("6b1e0b52-3a57-4c1e-9d43-1c0f2f6f1a01", "registration");
  certificate.trainee = "T-1";
  certificate.program = "Pelatihan Kewirausahaan";
  certificate.completed_on = Date(2027, 1, 12);
  certificate.issued_at = 1'800'000'000;
  certificate.valid_from = 1'800'000'000;
  certificate.valid_until = 1'900'000'000;
  certificate.verification_code = std::string(64, 'a');
  OpenBadgeOptions options{"", "Kementerian UMKM", "https://umkm.example.go.id/achievements/pkn"};

  // The credential and the claims Open Badges 3.0 section 8.2.6.1 asks for.
  const auto secured = [&](const std::string& issuer) {
    const std::string unsigned_credential = open_badge_credential(certificate, options);
    return unsigned_credential.substr(0, unsigned_credential.size() - 1) + R"(,"iss":")" + issuer +
           R"(","jti":"urn:uuid:0b6f3d2e-8c1a-5f4e-9a7b-2c3d4e5f6a7b",)" +
           R"("sub":"urn:uuid:6b1e0b52-3a57-4c1e-9d43-1c0f2f6f1a01",)" +
           R"("nbf":1800000000,"exp":1900000000})";
  };
  const std::string jws = signed_open_badge_credential(certificate, options, key);
  const std::string credential = verify_credential(jws, key.verification_key());
  options.issuer_id = key.verification_key().did_key();
  CHECK(credential == secured(options.issuer_id));
  CHECK(signed_open_badge_credential(certificate, options, key) == jws);

  options.issuer_id = SigningKey::from_pem(kOtherPem).verification_key().did_key();
  CHECK(refusal([&] { (void)signed_open_badge_credential(certificate, options, key); }).first ==
        std::vector<std::string>{"issuer_id"});

  options.issuer_id = "https://umkm.example.go.id/issuer";
  const std::string https = signed_open_badge_credential(certificate, options, key);
  CHECK(bytes_text(*detail::base64url_decode(https.substr(0, https.find('.'))))
            .find(R"("kid":")" + key.verification_key().thumbprint() + "\"") != std::string::npos);
  CHECK(verify_credential(https, key.verification_key()) == secured(options.issuer_id));
}

TEST_CASE("vc+jwt: the JWT claims agree with the members they mirror", "[vc_jose][quick]") {
  const auto key = SigningKey::from_pem(kRfcPem);
  const std::string dated =
      R"({"id":"urn:uuid:7","issuer":{"id":"https://umkm.example.go.id/issuer"},)"
      R"("validFrom":"2027-01-04T08:30:00+07:00","validUntil":"2032-01-04T01:30:00.75Z"})";
  const std::string payload =
      verify_credential(sign_credential(dated, key), key.verification_key());
  CHECK(payload == dated.substr(0, dated.size() - 1) +
                       R"(,"iss":"https://umkm.example.go.id/issuer","jti":"urn:uuid:7",)"
                       R"("nbf":1799026200,"exp":1956792600})");

  // A claim that disagrees with its member is refused when signing ...
  const auto refused_field = [&](const std::string& credential) {
    return refusal([&] { (void)sign_credential(credential, key); }).first;
  };
  const std::string early = dated.substr(0, dated.size() - 1) + R"(,"nbf":1799026199})";
  CHECK(refused_field(early) == std::vector<std::string>{"credential.nbf"});
  const std::string spelled = dated.substr(0, dated.size() - 1) + R"(,"jti":"urn:uuid:8"})";
  CHECK(refused_field(spelled) == std::vector<std::string>{"credential.jti"});
  CHECK(refused_field(R"({"validFrom":"2027-01-04"})") ==
        std::vector<std::string>{"credential.validFrom"});
  // ... and in a JWS someone else assembled with the key.
  const std::string header = detail::base64url_encode(
      R"({"alg":"EdDSA","kid":")" + key.verification_key().did_key_id() + R"(","typ":"vc+jwt"})");
  const std::string input = header + "." + detail::base64url_encode(early);
  CHECK(refusal([&] {
          (void)verify_credential(input + "." + detail::base64url_encode(key.sign(input)),
                                  key.verification_key());
        }).first == std::vector<std::string>{"payload.nbf"});
}

TEST_CASE("ES256: RFC 7515 Appendix A.3 and the did:key method's P-256 example",
          "[vc_jose][quick]") {
  const auto key = SigningKey::from_pem(kEs256Pem);
  const VerificationKey& public_key = key.verification_key();
  CHECK(public_key.algorithm() == KeyAlgorithm::p256);
  CHECK(public_key.jws_algorithm() == "ES256");
  CHECK(VerificationKey::from_jwk(kEs256Jwk) == public_key);
  const std::string input =
      "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGx"
      "lLmNvbS9pc19yb290Ijp0cnVlfQ";
  const auto signature = detail::base64url_decode(
      "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q");
  REQUIRE(signature);
  CHECK(public_key.verifies(input, *signature));
  CHECK_FALSE(public_key.verifies(input + " ", *signature));
  // ECDSA draws a fresh nonce: two signatures differ, and both verify.
  const auto first = key.sign(input);
  const auto second = key.sign(input);
  CHECK(first != second);
  CHECK(public_key.verifies(input, first));
  CHECK(public_key.verifies(input, second));

  // The did:key of this key (compressed point after 0x80 0x24), as another implementation
  // (Python's cryptography) computes it, and the method's own P-256 example.
  CHECK(public_key.did_key() == "did:key:zDnaerGBD7Zxzau2fdfEFaaaTDYBu5XEBYdGV2BmERp3MDSov");
  CHECK(VerificationKey::from_did_key(public_key.did_key_id()) == public_key);
  const auto example =
      VerificationKey::from_did_key("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169");
  CHECK(example.jwk().find(R"("kty":"EC","x":"fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI",)"
                           R"("y":"hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU"})") !=
        std::string::npos);
}

TEST_CASE("ES256 vc+jwt: verified, changed, or under the other algorithm", "[vc_jose][quick]") {
  const auto key = SigningKey::from_pem(kEs256Pem);
  const auto eddsa = SigningKey::from_pem(kRfcPem);
  const std::string jws = sign_credential(kCredential, key);
  CHECK(bytes_text(*detail::base64url_decode(jws.substr(0, jws.find('.')))) ==
        R"({"alg":"ES256","kid":")" + key.verification_key().did_key_id() +
            R"(","typ":"vc+jwt","cty":"vc"})");
  CHECK(verify_credential(jws, key.verification_key()) == kSecured);
  for (std::size_t at = 0; at < jws.size(); ++at) {
    if (jws[at] == '.') continue;
    CAPTURE(at);
    CHECK_THROWS_AS(verify_credential(changed(jws, at), key.verification_key()), ValidationError);
  }
  // Each key accepts only its own algorithm, whatever the token says.
  CHECK(refusal([&] { (void)verify_credential(jws, eddsa.verification_key()); }).first ==
        std::vector<std::string>{"header.alg"});
  CHECK(refusal([&] {
          (void)verify_credential(sign_credential(kCredential, eddsa), key.verification_key());
        }).first == std::vector<std::string>{"header.alg"});
}
