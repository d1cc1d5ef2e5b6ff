"""The call history: records, rating, rollups and statistics, pages, notify webhooks."""
