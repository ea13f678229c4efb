"""An index for the results endpoint's keyset pages (round, rank, firm): each page is an index range scan
instead of a sort of the whole round. It belongs to rewards.Ranking (`models.Index(fields=["round", "rank",
"enterprise"])`); it is created here, in plain SQL both databases understand, to keep the API change within
the api app. Moving it to rewards later: add the Index there and drop this one."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial"), ("rewards", "0002_round_events")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS api_ranking_round_rank_firm ON rewards_ranking (round_id, rank, enterprise_id)",
            reverse_sql="DROP INDEX IF EXISTS api_ranking_round_rank_firm",
        )
    ]
