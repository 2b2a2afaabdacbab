"""The neighbourhood fund moves into its own app (label `fund`, issue 14): its tables are renamed
`initiatives_…` → `fund_…` here and the models leave this app's state; `fund.0001_initial` takes them up
without touching the database, and `fund.0002_move_content_types` carries content types and permissions over.
The tables are renamed (not kept by an explicit `db_table`) so that table names say which app owns them, as
for every other app; the rename changes only the catalogue (PostgreSQL) or the schema (SQLite), no rows.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("initiatives", "0009_offer_allowance_types"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="fund", table="fund_fund"),
                migrations.AlterModelTable(name="call", table="fund_call"),
                migrations.AlterModelTable(name="jurymember", table="fund_jurymember"),
                migrations.AlterModelTable(name="fundapplication", table="fund_fundapplication"),
                migrations.AlterModelTable(name="costline", table="fund_costline"),
                migrations.AlterModelTable(name="vote", table="fund_vote"),
                migrations.AlterModelTable(name="fundentry", table="fund_fundentry"),
                migrations.AlterModelTable(name="receipt", table="fund_receipt"),
                migrations.AlterModelTable(name="reportphoto", table="fund_reportphoto"),
                migrations.AlterModelTable(name="fundauditentry", table="fund_fundauditentry"),
            ],
            state_operations=[
                migrations.RemoveField(
                    model_name='fundapplication',
                    name='call',
                ),
                migrations.RemoveField(
                    model_name='costline',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='jurymember',
                    name='fund',
                ),
                migrations.RemoveField(
                    model_name='fundauditentry',
                    name='fund',
                ),
                migrations.RemoveField(
                    model_name='fundapplication',
                    name='applicant',
                ),
                migrations.RemoveField(
                    model_name='fundapplication',
                    name='goals',
                ),
                migrations.RemoveField(
                    model_name='fundapplication',
                    name='initiative',
                ),
                migrations.RemoveField(
                    model_name='fundentry',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='vote',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='receipt',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='reportphoto',
                    name='application',
                ),
                migrations.RemoveField(
                    model_name='fundauditentry',
                    name='by',
                ),
                migrations.RemoveField(
                    model_name='fundauditentry',
                    name='content_type',
                ),
                migrations.RemoveField(
                    model_name='fundentry',
                    name='corrects',
                ),
                migrations.RemoveField(
                    model_name='fundentry',
                    name='entered_by',
                ),
                migrations.RemoveField(
                    model_name='jurymember',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='vote',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='receipt',
                    name='uploaded_by',
                ),
                migrations.DeleteModel(
                    name='Call',
                ),
                migrations.DeleteModel(
                    name='CostLine',
                ),
                migrations.DeleteModel(
                    name='Fund',
                ),
                migrations.DeleteModel(
                    name='FundApplication',
                ),
                migrations.DeleteModel(
                    name='ReportPhoto',
                ),
                migrations.DeleteModel(
                    name='FundAuditEntry',
                ),
                migrations.DeleteModel(
                    name='FundEntry',
                ),
                migrations.DeleteModel(
                    name='JuryMember',
                ),
                migrations.DeleteModel(
                    name='Vote',
                ),
                migrations.DeleteModel(
                    name='Receipt',
                ),
            ],
        ),
    ]
