#include "balai/core/hmac.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "balai/core/error.hpp"

namespace balai {
namespace {

// HMAC-SHA256 with a per-thread OpenSSL context. The one-shot HMAC() fetches the digest
// and keys a fresh context on every call, which made hashing a million NIKs take seconds;
// a context keyed once and only re-initialised between messages is several times faster.
class HmacSha256 {
 public:
  HmacSha256() = default;
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;
  ~HmacSha256() { forget_key(); }

  void digest(std::span<const std::uint8_t> key, std::string_view message,
              std::array<std::uint8_t, 32>& out) {
    bool ready = false;
    if (context_ && std::ranges::equal(key, key_)) {
      ready = EVP_MAC_init(context_.get(), nullptr, 0, nullptr) == 1;  // keeps the key
    } else {
      ready = rekey(key);
    }
    std::size_t length = 0;
    if (!ready ||
        EVP_MAC_update(context_.get(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1 ||
        EVP_MAC_final(context_.get(), out.data(), &length, out.size()) != 1 ||
        length != out.size()) {
      context_.reset();
      throw Error("HMAC-SHA256 failed in OpenSSL");
    }
  }

 private:
  struct MacFree {
    void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
  };
  struct ContextFree {
    void operator()(EVP_MAC_CTX* context) const { EVP_MAC_CTX_free(context); }
  };

  bool rekey(std::span<const std::uint8_t> key) {
    forget_key();
    if (!mac_) mac_.reset(EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr));
    if (!mac_) return false;
    context_.reset(EVP_MAC_CTX_new(mac_.get()));
    if (!context_) return false;
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(context_.get(), key.data(), key.size(), params) != 1) return false;
    key_.assign(key.begin(), key.end());
    return true;
  }

  // The key is a secret: wipe the copy before letting it go.
  void forget_key() {
    if (!key_.empty()) OPENSSL_cleanse(key_.data(), key_.size());
    key_.clear();
  }

  std::unique_ptr<EVP_MAC, MacFree> mac_;
  std::unique_ptr<EVP_MAC_CTX, ContextFree> context_;
  std::vector<std::uint8_t> key_;
};

}  // namespace

std::array<std::uint8_t, 32> hmac_sha256(std::span<const std::uint8_t> key,
                                         std::string_view message) {
  thread_local HmacSha256 hmac;
  std::array<std::uint8_t, 32> out{};
  hmac.digest(key, message, out);
  return out;
}

}  // namespace balai
