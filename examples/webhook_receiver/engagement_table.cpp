#include "engagement_table.hpp"

namespace webhook_receiver {

using instantly::webhooks::LeadEngagement;

std::optional<LeadEngagement> load_lead(Database& db, const std::string& campaign_id, const std::string& lead_email) {
  Statement query = db.prepare(
      "SELECT email_sent_at, email_opened_at, email_clicked_at, email_replied_at, email_bounced_at, "
      "unsubscribed_at, reply_count, email_status, interest, interest_at "
      "FROM engagement WHERE campaign_id = ?1 AND lead_email = ?2");
  query.bind(1, std::string_view(campaign_id)).bind(2, std::string_view(lead_email));
  if (!query.step()) return std::nullopt;
  LeadEngagement lead;
  lead.campaign_id = campaign_id;
  lead.lead_email = lead_email;
  lead.email_sent_at = query.optional_text_column(0);
  lead.email_opened_at = query.optional_text_column(1);
  lead.email_clicked_at = query.optional_text_column(2);
  lead.email_replied_at = query.optional_text_column(3);
  lead.email_bounced_at = query.optional_text_column(4);
  lead.unsubscribed_at = query.optional_text_column(5);
  lead.reply_count = query.int_column(6);
  lead.email_status = query.text_column(7);
  lead.interest = query.optional_text_column(8);
  lead.interest_at = query.optional_text_column(9);
  return lead;
}

void save_lead(Database& db, const LeadEngagement& lead) {
  Statement upsert = db.prepare(
      "INSERT INTO engagement (campaign_id, lead_email, email_sent_at, email_opened_at, email_clicked_at, "
      "email_replied_at, email_bounced_at, unsubscribed_at, reply_count, email_status, interest, interest_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
      "ON CONFLICT (campaign_id, lead_email) DO UPDATE SET "
      "email_sent_at = excluded.email_sent_at, email_opened_at = excluded.email_opened_at, "
      "email_clicked_at = excluded.email_clicked_at, email_replied_at = excluded.email_replied_at, "
      "email_bounced_at = excluded.email_bounced_at, unsubscribed_at = excluded.unsubscribed_at, "
      "reply_count = excluded.reply_count, email_status = excluded.email_status, "
      "interest = excluded.interest, interest_at = excluded.interest_at, "
      "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
  upsert.bind(1, std::string_view(lead.campaign_id))
      .bind(2, std::string_view(lead.lead_email))
      .bind(3, lead.email_sent_at)
      .bind(4, lead.email_opened_at)
      .bind(5, lead.email_clicked_at)
      .bind(6, lead.email_replied_at)
      .bind(7, lead.email_bounced_at)
      .bind(8, lead.unsubscribed_at)
      .bind(9, lead.reply_count)
      .bind(10, std::string_view(lead.email_status))
      .bind(11, lead.interest)
      .bind(12, lead.interest_at);
  upsert.step();
}

}  // namespace webhook_receiver
