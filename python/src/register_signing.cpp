// Signed credentials: the Ed25519 or P-256 SigningKey and VerificationKey, and VC-JOSE
// signing and verifying of credentials (str in, str out).
//
// A SigningKey goes in as PEM and never comes out: it has no property that returns key
// material, its repr names only the algorithm, and it cannot be pickled or copied (a copy
// would go through a pickle's state). A VerificationKey is public, so it is a plain value:
// ==, a repr that reads like the call that makes it, and a versioned pickle of its DID.
#include "bindings.hpp"  // first: the shared type casters

#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "balai/io/credential_keys.hpp"
#include "balai/io/status_list.hpp"
#include "balai/io/vc_jose.hpp"
#include "balai/tracking/certificate.hpp"
#include "registry_certificate.hpp"

namespace balai::python {
namespace {

// "Ed25519" or "P-256": what a SigningKey's repr may say about it.
std::string curve_name(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::ed25519 ? "Ed25519" : "P-256";
}

void bind_keys(py::module_& m) {
  bind_enum<KeyAlgorithm>(m, "KeyAlgorithm",
                          "The kind of a signing key: ed25519 (JWS alg EdDSA, the default) or "
                          "p256 (ES256).");
  py::class_<VerificationKey>(
      m, "VerificationKey", py::is_final(),
      "An Ed25519 or P-256 public key: what verifies a signed credential. Made from a "
      "did:key, a public JWK or a SigningKey's verification_key.")
      .def_static("from_did_key", &VerificationKey::from_did_key, py::arg("did"),
                  "The key a did:key (or its DID URL, did:key:z...#z...) stands for.")
      .def_static("from_jwk", &VerificationKey::from_jwk, py::arg("jwk"),
                  "The key of a public JWK (JSON text): kty OKP and crv Ed25519, or kty EC "
                  "and crv P-256.")
      .def_property_readonly("algorithm", &VerificationKey::algorithm)
      .def_property_readonly(
          "jws_algorithm", [](const VerificationKey& k) { return std::string(k.jws_algorithm()); },
          "The JWS alg of the key's signatures: EdDSA or ES256.")
      .def_property_readonly(
          "public_bytes",
          [](const VerificationKey& k) {
            return py::bytes(reinterpret_cast<const char*>(k.bytes().data()), k.bytes().size());
          },
          "The public key: Ed25519's 32 bytes, or the P-256 point uncompressed (65).")
      .def_property_readonly("did_key", &VerificationKey::did_key, "did:key:z6Mk...")
      .def_property_readonly("did_key_id", &VerificationKey::did_key_id,
                             "The DID URL of the key, did:key:z6Mk...#z6Mk...: a vc+jwt's kid.")
      .def_property_readonly("thumbprint", &VerificationKey::thumbprint,
                             "The RFC 7638 JWK thumbprint (SHA-256, base64url).")
      .def("jwk", &VerificationKey::jwk,
           "The public JWK (JSON text) with the thumbprint as kid, for a JWK set.")
      .def("__repr__",
           [](const VerificationKey& k) {
             return "VerificationKey.from_did_key(" +
                    py::repr(py::str(k.did_key())).cast<std::string>() + ")";
           })
      .def(py::self == py::self)
      .def("__hash__", [](const VerificationKey& k) { return py::hash(py::str(k.did_key())); })
      .def(py::pickle(
          [](const VerificationKey& k) { return py::make_tuple(kPickleVersion, k.did_key()); },
          [](const py::tuple& state) {
            const auto s = unpickle(state, "VerificationKey", 1);
            return VerificationKey::from_did_key(s[1].cast<std::string>());
          }));

  py::class_<SigningKey> cls(
      m, "SigningKey", py::is_final(),
      "An Ed25519 or P-256 private key that signs credentials, read from unencrypted PKCS#8 "
      "PEM. It is never shown, exported or pickled.");
  cls.def_static(
         "from_pem", [](std::string_view pem) { return SigningKey::from_pem(pem); }, py::arg("pem"),
         "The key in PEM text (-----BEGIN PRIVATE KEY-----).")
      .def_static("from_pem_file", &SigningKey::from_pem_file, py::arg("path"),
                  "The key in a PEM file.")
      .def_property_readonly("verification_key", &SigningKey::verification_key,
                             "The public half: VerificationKey.")
      .def("__repr__", [](const SigningKey& k) {
        return "<SigningKey: " + curve_name(k.verification_key().algorithm()) + ", not shown>";
      });
  refuse_pickle(cls,
                "a SigningKey is a private key, and a pickle would write it in clear. Keep the "
                "PEM file where the key belongs and load it with SigningKey.from_pem_file.");
}

void bind_signing(py::module_& m) {
  bind_enum<KeyIdForm>(m, "KeyIdForm",
                       "How a vc+jwt's kid names the signing key: its did:key DID URL, or its "
                       "JWK thumbprint (for an issuer that publishes a JWK set).");
  m.def(
      "sign_credential",
      [](std::string_view credential, const SigningKey& key, KeyIdForm kid) {
        return sign_credential(credential, key, kid);
      },
      py::arg("credential"), py::arg("key"), py::kw_only(), py::arg("kid") = KeyIdForm::did_key,
      "The credential (a JSON object, as str) as a compact JWS: a VC-JOSE vc+jwt.");
  m.def(
      "verify_credential",
      [](std::string_view jws, const VerificationKey& key) { return verify_credential(jws, key); },
      py::arg("jws"), py::arg("key"),
      "The credential (JSON, as str) that `jws` secures; ValidationError unless `key` signed "
      "it as a vc+jwt, unchanged.");
  m.def(
      "verify_credential",
      [](std::string_view jws, std::string_view did) {
        return verify_credential(jws, VerificationKey::from_did_key(did));
      },
      py::arg("jws"), py::arg("key"), "The same with the key given as its did:key.");
  m.def(
      "signed_open_badge_credential",
      [](const Certificate& certificate, const SigningKey& key, std::string issuer_name,
         std::string achievement_id, std::optional<std::string> issuer_id, std::string terms_iri,
         const CertificateRegistry* registry, std::optional<std::string> status_list) {
        OpenBadgeOptions options{std::move(issuer_id).value_or(""), std::move(issuer_name),
                                 std::move(achievement_id), std::move(terms_iri),
                                 std::move(status_list).value_or("")};
        if (registry == nullptr) {
          return signed_open_badge_credential(certificate, std::move(options), key);
        }
        return signed_open_badge_credential(*registry, registry_serial(*registry, certificate),
                                            std::move(options), key);
      },
      py::arg("certificate"), py::arg("key"), py::kw_only(), py::arg("issuer_name"),
      py::arg("achievement_id"), py::arg("issuer_id") = py::none(),
      py::arg("terms_iri") = std::string(kOpenBadgeTermsIri), py::arg("registry") = py::none(),
      py::arg("status_list") = py::none(),
      "open_badge_credential signed as a vc+jwt. Without issuer_id the issuer is the key's "
      "did:key.");
  m.def(
      "signed_status_list_credential",
      [](const CertificateRegistry& registry, const SigningKey& key, std::string id, Timestamp at,
         std::optional<std::string> issuer_id) {
        return signed_status_list_credential(
            registry, StatusListOptions{std::move(id), std::move(issuer_id).value_or("")}, key, at);
      },
      py::arg("registry"), py::arg("key"), py::kw_only(), py::arg("id"), py::arg("at"),
      py::arg("issuer_id") = py::none(),
      "status_list_credential signed as a vc+jwt. Without issuer_id the issuer is the key's "
      "did:key.");
}

}  // namespace

void register_signing(py::module_& m) {
  bind_keys(m);
  bind_signing(m);
}

}  // namespace balai::python
