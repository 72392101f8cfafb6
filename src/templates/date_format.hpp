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

std::string format_date(const DateTime& dt, std::string_view format);
DateTime now_utc();

}  // namespace templates
