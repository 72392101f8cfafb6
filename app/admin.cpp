// The site's models in the admin at /admin/: one register_model call per table. Users are
// registered by the core; everything here is the sample's own.
#include "admin/model_admin.hpp"
#include "app/urls.hpp"

namespace app {

void admin(admin::Site& site) {
  site.register_model({
      .app_label = "fortunes",
      .model_name = "fortune",
      .table = "fortune",
      .verbose_name = "fortune",
      .fields = {{.name = "message", .label = "Message", .max_length = 2048}},
      .list_display = {"id", "message"},
      .search_fields = {"message"},
      .ordering = "id",
  });
}

}  // namespace app
