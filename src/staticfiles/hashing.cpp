#include "staticfiles/hashing.hpp"

#include <openssl/evp.h>

#include <memory>

#include "staticfiles/error.hpp"
#include "staticfiles/url_parts.hpp"

namespace staticfiles {

std::string md5_hex(std::string_view content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(content.data(), content.size(), digest, &length, EVP_md5(), nullptr) != 1)
    throw Error("MD5 is not available from OpenSSL");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(length * 2, '0');
  for (unsigned int i = 0; i < length; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0x0F];
  }
  return out;
}

std::string file_hash(std::string_view content) { return md5_hex(content).substr(0, kHashDigits); }

std::string hashed_name(std::string_view name, std::string_view hash) {
  auto slash = name.rfind('/');
  std::string_view dir = slash == std::string_view::npos ? std::string_view{} : py::dirname(name);
  std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  auto [root, ext] = py::splitext(base);
  std::string file;
  file.reserve(base.size() + hash.size() + 1);
  file.append(root);
  if (!hash.empty()) file.append(".").append(hash);
  file.append(ext);
  return py::join(dir, file);
}

}  // namespace staticfiles
