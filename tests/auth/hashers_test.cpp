// Password hashers and validators without the oracle: formats, upgrades, hostile inputs.
#include <gtest/gtest.h>

#include "auth/password_hashers.hpp"
#include "auth/password_validation.hpp"

namespace {

auth::HasherPolicy fast() {
  auth::HasherPolicy p;
  p.pbkdf2_iterations = 1000;
  return p;
}

TEST(Hashers, Pbkdf2FormatAndRoundTrip) {
  auto encoded = auth::make_password("s3cret pass", fast());
  ASSERT_EQ(encoded.rfind("pbkdf2_sha256$1000$", 0), 0u) << encoded;
  auto salt = encoded.substr(19, encoded.find('$', 19) - 19);
  EXPECT_EQ(salt.size(), 22u);  // 128 bits from 62 characters
  EXPECT_TRUE(auth::check_password("s3cret pass", encoded, fast()).ok);
  EXPECT_FALSE(auth::check_password("s3cret pasS", encoded, fast()).ok);
  EXPECT_FALSE(auth::check_password("s3cret pass", encoded, fast()).must_update);
}

TEST(Hashers, KnownDjangoVector) {
  // Django 3.2: PBKDF2PasswordHasher().encode('correct horse battery staple', 'seasalt', 1)
  const std::string encoded = "pbkdf2_sha256$1$seasalt$YBwsf/yKxw1EIJHvxwy1lo6XfNIRudoL9Z7iITL3fGg=";
  auth::HasherPolicy one;
  one.pbkdf2_iterations = 1;
  EXPECT_EQ(auth::make_password_with_salt("correct horse battery staple", "seasalt", one), encoded);
  EXPECT_TRUE(auth::check_password("correct horse battery staple", encoded).ok);
}

TEST(Hashers, OutdatedParametersMustUpdate) {
  auto old = auth::make_password("pw", fast());
  auto checked = auth::check_password("pw", old);  // default policy: 1,000,000 iterations
  EXPECT_TRUE(checked.ok);
  EXPECT_TRUE(checked.must_update);
  // A wrong password never asks for an update.
  EXPECT_FALSE(auth::check_password("nope", old).must_update);
  // A short salt must update even at the right cost.
  EXPECT_TRUE(auth::must_update(auth::make_password_with_salt("pw", "short", fast()), fast()));
  // Argon2 hashes are upgraded to the preferred PBKDF2.
  auth::HasherPolicy argon;
  argon.algorithm = auth::HasherPolicy::Algorithm::kArgon2id;
  argon.argon2_memory_cost = 256;
  argon.argon2_parallelism = 1;
  auto a = auth::make_password("pw", argon);
  EXPECT_TRUE(auth::check_password("pw", a, argon).ok);
  EXPECT_FALSE(auth::check_password("pw", a, argon).must_update);
  EXPECT_TRUE(auth::check_password("pw", a, fast()).must_update);
}

TEST(Hashers, UnusableAndMalformedNeverVerify) {
  auto unusable = auth::make_unusable_password();
  EXPECT_EQ(unusable.size(), 41u);
  EXPECT_FALSE(auth::is_password_usable(unusable));
  EXPECT_FALSE(auth::check_password("", unusable).ok);
  for (const char* bad : {"", "!", "pbkdf2_sha256$", "pbkdf2_sha256$abc$salt$hash", "pbkdf2_sha256$0$salt$hash",
                          "pbkdf2_sha256$999999999999$salt$hash", "md5$salt$hash", "argon2$argon2id$v=19$m=1,t=1$c2FsdHNhbHQ$aGFzaA",
                          "argon2$argon2x$v=19$m=512,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                          "argon2$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"}) {
    EXPECT_FALSE(auth::check_password("", bad).ok) << bad;
    EXPECT_FALSE(auth::check_password("password", bad).ok) << bad;
  }
  EXPECT_THROW(auth::make_password_with_salt("pw", "has$dollar", fast()), std::invalid_argument);
}

TEST(PasswordValidation, DjangoDefaults) {
  // Length: 8 passes, 7 fails.
  EXPECT_TRUE(auth::validate_password("kq3v9zpw").empty());
  auto short7 = auth::validate_password("kq3v9zp");
  ASSERT_EQ(short7.size(), 1u);
  EXPECT_EQ(short7[0], "This password is too short. It must contain at least 8 characters.");
  // Characters, not bytes.
  EXPECT_FALSE(auth::validate_password("ééééééé").empty());
  EXPECT_EQ(auth::validate_password("password"), std::vector<std::string>{"This password is too common."});
  EXPECT_EQ(auth::validate_password(" PassWord1 ")[0], "This password is too common.");
  auto numeric = auth::validate_password("73829104657");
  EXPECT_NE(std::find(numeric.begin(), numeric.end(), "This password is entirely numeric."), numeric.end());
  auth::PasswordContext alice{"alice.liddell", "Alice", "Liddell", "alice@wonderland.example"};
  EXPECT_EQ(auth::validate_password("alice.liddell1", alice)[0], "The password is too similar to the username.");
  EXPECT_EQ(auth::validate_password("wonderland.exampl", alice)[0],
            "The password is too similar to the email address.");
  EXPECT_TRUE(auth::validate_password("vq8#Lm2!rT", alice).empty());
}

TEST(PasswordValidation, QuickRatioMatchesDifflib) {
  // difflib.SequenceMatcher(a='abcd', b='bcde').quick_ratio() == 0.75
  EXPECT_DOUBLE_EQ(auth::quick_ratio("abcd", "bcde"), 0.75);
  EXPECT_DOUBLE_EQ(auth::quick_ratio("aab", "abb"), 2.0 * 2 / 6);
  EXPECT_TRUE(auth::is_common_password("123456"));
  EXPECT_FALSE(auth::is_common_password("vq8#Lm2!rT"));
}

}  // namespace
