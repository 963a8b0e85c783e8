// Lists every campaign of a workspace with its status.
//
//   INSTANTLY_API_KEY=... ./list_campaigns
//   INSTANTLY_BASE_URL=http://127.0.0.1:4010 INSTANTLY_API_KEY=test ./list_campaigns
#include <instantly/instantly.hpp>

#include <iostream>

int main() {
  try {
    const auto client = instantly::Client::from_env();
    int count = 0;
    for (const instantly::Json& campaign :
         client.paginate("GET", "/api/v2/campaigns", {.query = {{"limit", "100"}}})) {
      const instantly::Json* status = campaign.find("status");
      std::cout << campaign.at("id").as_string() << "  " << campaign.at("name").as_string()
                << "  status=" << (status ? status->dump() : "?") << "\n";
      ++count;
    }
    std::cout << count << " campaigns\n";
    return 0;
  } catch (const instantly::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
