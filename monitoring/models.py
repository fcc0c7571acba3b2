"""Who watches and what they are told: API clients, watches, alerts, webhooks (built in the monitoring issue)."""
