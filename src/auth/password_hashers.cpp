#include "auth/password_hashers.hpp"

#include <argon2.h>
#include <openssl/evp.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>

#include "auth/random.hpp"

namespace auth {

namespace {

constexpr std::size_t kSaltLength = 22;        // ceil(128 / log2(62)), Django's salt()
constexpr std::size_t kArgon2HashLength = 16;  // argon2-cffi's DEFAULT_HASH_LENGTH
constexpr std::uint32_t kMaxPbkdf2Iterations = 100'000'000;  // refuse absurd stored costs
constexpr std::uint32_t kMaxArgon2MemoryKiB = 4u * 1024 * 1024;

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::optional<std::uint32_t> to_uint(std::string_view s) {
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string base64(const unsigned char* data, std::size_t n, bool pad) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  int len =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<std::size_t>(len));
  if (!pad)
    while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::optional<std::string> unbase64(std::string_view text) {
  std::string padded(text);
  while (padded.size() % 4 != 0) padded.push_back('=');
  std::string out(padded.size() / 4 * 3 + 1, '\0');
  int len = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(padded.data()),
                            static_cast<int>(padded.size()));
  if (len < 0) return std::nullopt;
  std::size_t n = static_cast<std::size_t>(len);
  for (std::size_t i = padded.size(); i > 0 && padded[i - 1] == '='; --i)
    --n;  // EVP keeps pad bytes
  out.resize(n);
  return out;
}

bool salt_too_weak(std::size_t salt_chars) {
  return static_cast<double>(salt_chars) * std::log2(62.0) < 128.0;
}

// ---- PBKDF2 ----

std::atomic<std::uint64_t> g_hashes{0};  // hashes_computed()

std::string pbkdf2_encode(std::string_view algorithm, const EVP_MD* md, std::string_view password,
                          std::string_view salt, std::uint32_t iterations) {
  g_hashes.fetch_add(1, std::memory_order_relaxed);
  unsigned char out[EVP_MAX_MD_SIZE];
  const int size = EVP_MD_get_size(md);
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), md, size,
                        out) != 1)
    throw std::runtime_error("PBKDF2 failed");
  std::string encoded(algorithm);
  encoded.append("$").append(std::to_string(iterations)).append("$").append(salt).append("$");
  encoded.append(base64(out, static_cast<std::size_t>(size), true));
  return encoded;
}

struct Pbkdf2Parts {
  std::string_view algorithm;
  std::uint32_t iterations = 0;
  std::string_view salt;
};

std::optional<Pbkdf2Parts> parse_pbkdf2(std::string_view encoded) {
  auto parts = split(encoded, '$');
  if (parts.size() != 4 || (parts[0] != "pbkdf2_sha256" && parts[0] != "pbkdf2_sha1"))
    return std::nullopt;
  auto iterations = to_uint(parts[1]);
  if (!iterations || *iterations == 0 || *iterations > kMaxPbkdf2Iterations || parts[2].empty())
    return std::nullopt;
  return Pbkdf2Parts{parts[0], *iterations, parts[2]};
}

// ---- Argon2 ----

struct Argon2Parts {
  argon2_type type = Argon2_id;
  std::uint32_t version = ARGON2_VERSION_13;
  std::uint32_t m = 0, t = 0, p = 0;
  std::string salt;  // decoded bytes
  std::string hash;  // decoded bytes
  std::size_t salt_chars = 0;
};

// "argon2$argon2id$v=19$m=102400,t=2,p=8$salt$hash"; old argon2-cffi omitted "v=" (version 16).
std::optional<Argon2Parts> parse_argon2(std::string_view encoded) {
  auto parts = split(encoded, '$');
  if (parts.size() != 5 && parts.size() != 6) return std::nullopt;
  if (parts[0] != "argon2") return std::nullopt;
  Argon2Parts out;
  if (parts[1] == "argon2id")
    out.type = Argon2_id;
  else if (parts[1] == "argon2i")
    out.type = Argon2_i;
  else if (parts[1] == "argon2d")
    out.type = Argon2_d;
  else
    return std::nullopt;
  std::size_t i = 2;
  if (parts.size() == 6) {
    if (parts[2].substr(0, 2) != "v=") return std::nullopt;
    auto v = to_uint(parts[2].substr(2));
    if (!v || (*v != ARGON2_VERSION_13 && *v != ARGON2_VERSION_10)) return std::nullopt;
    out.version = *v;
    i = 3;
  } else {
    out.version = ARGON2_VERSION_10;
  }
  bool have_m = false, have_t = false, have_p = false;
  for (auto field : split(parts[i], ',')) {
    auto eq = field.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    auto value = to_uint(field.substr(eq + 1));
    if (!value) return std::nullopt;
    auto key = field.substr(0, eq);
    if (key == "m")
      out.m = *value, have_m = true;
    else if (key == "t")
      out.t = *value, have_t = true;
    else if (key == "p")
      out.p = *value, have_p = true;
    else
      return std::nullopt;
  }
  if (!have_m || !have_t || !have_p || out.t == 0 || out.p == 0 || out.m > kMaxArgon2MemoryKiB)
    return std::nullopt;
  auto salt = unbase64(parts[i + 1]);
  auto hash = unbase64(parts[i + 2]);
  if (!salt || !hash || salt->size() < ARGON2_MIN_SALT_LENGTH || hash->size() < ARGON2_MIN_OUTLEN)
    return std::nullopt;
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  out.salt_chars = out.salt.size();
  return out;
}

std::optional<std::string> argon2_raw(std::string_view password, std::string_view salt,
                                      argon2_type type, std::uint32_t version, std::uint32_t t,
                                      std::uint32_t m, std::uint32_t p, std::size_t hash_len) {
  g_hashes.fetch_add(1, std::memory_order_relaxed);
  std::string out(hash_len, '\0');
  argon2_context ctx{};
  ctx.out = reinterpret_cast<std::uint8_t*>(out.data());
  ctx.outlen = static_cast<std::uint32_t>(hash_len);
  ctx.pwd = reinterpret_cast<std::uint8_t*>(const_cast<char*>(password.data()));
  ctx.pwdlen = static_cast<std::uint32_t>(password.size());
  ctx.salt = reinterpret_cast<std::uint8_t*>(const_cast<char*>(salt.data()));
  ctx.saltlen = static_cast<std::uint32_t>(salt.size());
  ctx.t_cost = t;
  ctx.m_cost = m;
  ctx.lanes = p;
  ctx.threads = p;
  ctx.version = version;
  ctx.flags = ARGON2_DEFAULT_FLAGS;
  if (argon2_ctx(&ctx, type) != ARGON2_OK) return std::nullopt;
  return out;
}

std::string argon2_encode(std::string_view password, std::string_view salt,
                          const HasherPolicy& policy) {
  auto raw = argon2_raw(password, salt, Argon2_id, ARGON2_VERSION_13, policy.argon2_time_cost,
                        policy.argon2_memory_cost, policy.argon2_parallelism, kArgon2HashLength);
  if (!raw) throw std::runtime_error("argon2 failed");
  std::string encoded = "argon2$argon2id$v=19$m=";
  encoded.append(std::to_string(policy.argon2_memory_cost)).append(",t=");
  encoded.append(std::to_string(policy.argon2_time_cost)).append(",p=");
  encoded.append(std::to_string(policy.argon2_parallelism)).append("$");
  encoded.append(base64(reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), false))
      .append("$");
  encoded.append(base64(reinterpret_cast<const unsigned char*>(raw->data()), raw->size(), false));
  return encoded;
}

}  // namespace

std::string make_password_with_salt(std::string_view password, std::string_view salt,
                                    const HasherPolicy& policy) {
  if (salt.empty() || salt.find('$') != std::string_view::npos)
    throw std::invalid_argument("make_password: salt must be non-empty without '$'");
  if (policy.algorithm == HasherPolicy::Algorithm::kArgon2id)
    return argon2_encode(password, salt, policy);
  return pbkdf2_encode("pbkdf2_sha256", EVP_sha256(), password, salt, policy.pbkdf2_iterations);
}

std::string make_password(std::string_view password, const HasherPolicy& policy) {
  return make_password_with_salt(password, random_string(kSaltLength), policy);
}

PasswordCheck check_password(std::string_view password, std::string_view encoded,
                             const HasherPolicy& policy) {
  PasswordCheck result;
  if (!is_password_usable(encoded)) return result;
  if (auto p = parse_pbkdf2(encoded)) {
    const EVP_MD* md = p->algorithm == "pbkdf2_sha256" ? EVP_sha256() : EVP_sha1();
    result.ok = constant_time_equals(
        pbkdf2_encode(p->algorithm, md, password, p->salt, p->iterations), encoded);
  } else if (auto a = parse_argon2(encoded)) {
    auto raw = argon2_raw(password, a->salt, a->type, a->version, a->t, a->m, a->p, a->hash.size());
    result.ok = raw && constant_time_equals(*raw, a->hash);
  }
  result.must_update = result.ok && must_update(encoded, policy);
  return result;
}

bool must_update(std::string_view encoded, const HasherPolicy& policy) {
  if (policy.algorithm == HasherPolicy::Algorithm::kPbkdf2Sha256) {
    auto p = parse_pbkdf2(encoded);
    return !p || p->algorithm != "pbkdf2_sha256" || p->iterations != policy.pbkdf2_iterations ||
           salt_too_weak(p->salt.size());
  }
  auto a = parse_argon2(encoded);
  return !a || a->type != Argon2_id || a->version != ARGON2_VERSION_13 ||
         a->t != policy.argon2_time_cost || a->m != policy.argon2_memory_cost ||
         a->p != policy.argon2_parallelism || a->hash.size() != kArgon2HashLength ||
         salt_too_weak(a->salt_chars);
}

std::string make_unusable_password() {
  std::string out(kUnusablePasswordPrefix);
  out.append(random_string(40));
  return out;
}

bool is_password_usable(std::string_view encoded) {
  return !encoded.empty() &&
         encoded.substr(0, kUnusablePasswordPrefix.size()) != kUnusablePasswordPrefix;
}

std::uint64_t hashes_computed() { return g_hashes.load(std::memory_order_relaxed); }

void run_dummy_check(std::string_view password, const HasherPolicy& policy) {
  // One hash at the current policy's cost, as Django's ModelBackend does for unknown users.
  static const std::string kDummySalt = "dummysaltdummysaltdumm";
  (void)make_password_with_salt(password, kDummySalt, policy);
}

}  // namespace auth
