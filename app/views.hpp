// app: the sample site's views. Plain functions of a request; they use the core through
// cli::Services. This folder is what a user replaces with their own site.
#pragma once

#include "cli/site.hpp"
#include "http/handler.hpp"

namespace app {

// "/": the home page, base.html + home.html as in the original sample.
http::Response home(http::Request& request, cli::Services& services);
// "/fortunes/": the TechEmpower Fortunes test: every row, one added at request time, sorted
// by message, rendered through an escaping template.
http::Response fortunes(http::Request& request, cli::Services& services);

}  // namespace app
