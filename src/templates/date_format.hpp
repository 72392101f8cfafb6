// templates: Django's dateformat (PHP-style format characters) for UTC datetimes, in English.
// Used by the `date` filter, `{% now %}` and the default printing of datetimes.
//
//   format_date(dt, "D, d M Y H:i")  // "Tue, 05 Mar 2024 14:07"
#pragma once

#include <string>
#include <string_view>

#include "templates/value.hpp"

namespace templates {

inline constexpr std::string_view kDateFormat = "N j, Y";         // settings.DATE_FORMAT
inline constexpr std::string_view kDateTimeFormat = "N j, Y, P";  // settings.DATETIME_FORMAT

inline constexpr std::string_view kTimeFormat = "P";  // settings.TIME_FORMAT

// Django's get_format(): "DATE_FORMAT", "SHORT_DATETIME_FORMAT", ... name the settings' formats
// (English); any other text is a format itself.
std::string_view named_date_format(std::string_view format);

std::string format_date(const DateTime& dt, std::string_view format);
// The `time` filter's formatting: "" when the format asks for a date part, as Django's
// TimeFormat does.
std::string format_time(const DateTime& dt, std::string_view format);
DateTime now_utc();

}  // namespace templates
