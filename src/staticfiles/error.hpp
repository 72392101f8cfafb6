// staticfiles: the one error type of this layer. what() is one line naming the file concerned.
#pragma once

#include <stdexcept>

namespace staticfiles {

// A static file could not be found, read, hashed, written or looked up.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// {% static %} asked for a name that the manifest lacks while DEBUG_FLAG is off; the message is
// Django's: "Missing staticfiles manifest entry for 'css/site.css'".
class MissingManifestEntry : public Error {
 public:
  using Error::Error;
};

}  // namespace staticfiles
