"""The fund's models as they were in `initiatives` (`initiatives.0008` renamed their tables to `fund_…`):
state only, the database already holds them. The constraints keep their `initiatives_…` names, which are the
names in existing databases."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import quartier.documents
import quartier.images
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('events', '0005_event_initiative'),
        ('initiatives', '0010_fund_moves_to_its_own_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Fund',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=150, verbose_name='name')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2999)], verbose_name='budget year')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('total', models.DecimalField(decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='total budget (EUR)')),
                        ('max_per_project', models.DecimalField(decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='maximum per project (EUR)')),
                        ('cofinancing_share', models.DecimalField(decimal_places=2, default=Decimal('0.00'), help_text='Share of the total costs the applicants bring themselves (money or volunteer hours), 0–50 %.', max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0.00')), django.core.validators.MaxValueValidator(Decimal('50'))], verbose_name='co-financing required (%)')),
                        ('hour_value', models.DecimalField(decimal_places=2, default=Decimal('15.00'), help_text='Volunteer hours count towards the own contribution at this rate.', max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0.00'))], verbose_name='value of one volunteer hour (EUR)')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                    ],
                    options={
                        'verbose_name': 'neighbourhood fund',
                        'verbose_name_plural': 'neighbourhood funds',
                        'ordering': ['-year', 'name'],
                        'constraints': [models.UniqueConstraint(fields=('name', 'year'), name='initiatives_fund_once_per_year'), models.CheckConstraint(condition=models.Q(('max_per_project__lte', models.F('total'))), name='initiatives_fund_cap_le_total', violation_error_message='The maximum per project cannot exceed the total.'), models.CheckConstraint(condition=models.Q(('cofinancing_share__gte', 0), ('cofinancing_share__lte', 50)), name='initiatives_fund_share_range')],
                    },
                ),
                migrations.CreateModel(
                    name='Call',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=150, verbose_name='title')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('opens_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='applications from')),
                        ('deadline', models.DateTimeField(verbose_name='application deadline')),
                        ('session_date', models.DateField(verbose_name='date of the jury session')),
                        ('session_place', models.CharField(blank=True, max_length=200, verbose_name='place of the jury session')),
                        ('minutes', models.TextField(blank=True, verbose_name='minutes of the jury session')),
                        ('agenda_item', models.ForeignKey(blank=True, help_text='If the jury decides during a district conference.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='fund_calls', to='events.agendaitem', verbose_name='agenda item of a district conference')),
                        ('fund', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='calls', to='fund.fund', verbose_name='fund')),
                    ],
                    options={
                        'verbose_name': 'call for applications',
                        'verbose_name_plural': 'calls for applications',
                        'ordering': ['-deadline'],
                    },
                ),
                migrations.CreateModel(
                    name='FundApplication',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=150, verbose_name='title of the project')),
                        ('description', models.TextField(blank=True, max_length=5000, verbose_name='what happens, and when')),
                        ('benefit', models.TextField(blank=True, max_length=3000, verbose_name='benefit for the district')),
                        ('own_money', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0.00'))], verbose_name='own contribution in money (EUR)')),
                        ('own_hours', models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100000)], verbose_name='own contribution in volunteer hours')),
                        ('own_rooms', models.CharField(blank=True, max_length=300, verbose_name='own contribution in rooms or material')),
                        ('planned_start', models.DateField(blank=True, null=True, verbose_name='planned start')),
                        ('planned_end', models.DateField(blank=True, null=True, verbose_name='planned end')),
                        ('confirms_eligibility', models.BooleanField(default=False, verbose_name='I am at least 18 years old and live or am active in the district.')),
                        ('publish_name', models.BooleanField(default=False, help_text='Only for applications as a resident. Without your consent the list says “private person”.', verbose_name='If the project is funded, show my name on the public list of funded projects.')),
                        ('status', models.CharField(choices=[('draft', 'draft'), ('submitted', 'submitted'), ('needs_changes', 'needs changes'), ('eligible', 'eligible, waiting for the jury'), ('ineligible', 'ineligible'), ('approved', 'approved'), ('rejected', 'rejected by the jury'), ('closed', 'closed')], default='draft', max_length=15, verbose_name='status')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('check_comment', models.TextField(blank=True, verbose_name='comment of the formal check')),
                        ('checked_at', models.DateTimeField(blank=True, null=True, verbose_name='checked at')),
                        ('votes_for', models.PositiveSmallIntegerField(default=0, verbose_name='votes for')),
                        ('votes_against', models.PositiveSmallIntegerField(default=0, verbose_name='votes against')),
                        ('votes_abstaining', models.PositiveSmallIntegerField(default=0, verbose_name='abstentions')),
                        ('decision_note', models.TextField(blank=True, verbose_name='minutes of the decision')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('report', models.TextField(blank=True, max_length=5000, verbose_name='short report')),
                        ('report_submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='report submitted at')),
                        ('spending_note', models.TextField(blank=True, verbose_name='result of the spending check')),
                        ('spending_checked_at', models.DateTimeField(blank=True, null=True, verbose_name='spending checked at')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                        ('applicant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='fund_applications', to=settings.AUTH_USER_MODEL, verbose_name='applicant')),
                        ('call', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='fund.call', verbose_name='call')),
                        ('goals', models.ManyToManyField(blank=True, related_name='+', to='initiatives.topic', verbose_name='goals the project serves')),
                        ('initiative', models.ForeignKey(blank=True, help_text='Leave empty if you apply as a resident.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='fund_applications', to='initiatives.initiative', verbose_name='applying initiative')),
                    ],
                    options={
                        'verbose_name': 'fund application',
                        'verbose_name_plural': 'fund applications',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CostLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('description', models.CharField(max_length=200, verbose_name='what')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='amount (EUR)')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cost_lines', to='fund.fundapplication', verbose_name='application')),
                    ],
                    options={
                        'verbose_name': 'cost line',
                        'verbose_name_plural': 'cost plan',
                        'ordering': ['application', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='FundAuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                        ('action', models.CharField(choices=[('created', 'created'), ('changed', 'changed'), ('corrected', 'corrected')], max_length=10, verbose_name='action')),
                        ('object_id', models.PositiveBigIntegerField(verbose_name='record id')),
                        ('object_repr', models.CharField(max_length=250, verbose_name='record')),
                        ('changes', models.JSONField(blank=True, default=dict, verbose_name='what')),
                        ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='who')),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='record type')),
                        ('fund', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='fund.fund', verbose_name='fund')),
                    ],
                    options={
                        'verbose_name': 'fund audit entry',
                        'verbose_name_plural': 'fund audit history',
                        'ordering': ['-at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='FundEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('grant', 'grant'), ('payout', 'payout'), ('repayment', 'repayment')], max_length=10, verbose_name='kind')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='amount (EUR)')),
                        ('booked_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='date')),
                        ('reason', models.TextField(blank=True, verbose_name='reason or note')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='entered at')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='fund.fundapplication', verbose_name='application')),
                        ('corrects', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='fund.fundentry', verbose_name='corrects entry')),
                        ('entered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                    ],
                    options={
                        'verbose_name': 'money entry',
                        'verbose_name_plural': 'money entries',
                        'ordering': ['-booked_on', '-pk'],
                        'permissions': [('correct_fundentry', 'Can correct money entries of the fund')],
                    },
                ),
                migrations.CreateModel(
                    name='JuryMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('term_from', models.DateField(verbose_name='term from')),
                        ('term_until', models.DateField(verbose_name='term until')),
                        ('fund', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='jury', to='fund.fund', verbose_name='fund')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='jury_seats', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'jury member',
                        'verbose_name_plural': 'jury',
                        'ordering': ['fund', 'user__display_name'],
                    },
                ),
                migrations.CreateModel(
                    name='Receipt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('description', models.CharField(max_length=200, verbose_name='what was bought')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='amount (EUR)')),
                        ('file', models.FileField(storage=quartier.documents.private_storage, upload_to=quartier.documents.DocumentName('foerderbelege', 'file'), validators=[quartier.documents.DocumentValidator()], verbose_name='receipt (PDF or image)')),
                        ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='uploaded at')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='receipts', to='fund.fundapplication', verbose_name='application')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                    ],
                    options={
                        'verbose_name': 'receipt',
                        'verbose_name_plural': 'receipts',
                        'ordering': ['application', 'uploaded_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportPhoto',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('image', models.ImageField(upload_to='foerderberichte/', validators=[quartier.images.validate_image], verbose_name='photo')),
                        ('alt', models.CharField(max_length=200, verbose_name='photo description')),
                        ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='uploaded at')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='fund.fundapplication', verbose_name='application')),
                    ],
                    options={
                        'verbose_name': 'report photo',
                        'verbose_name_plural': 'report photos',
                        'ordering': ['application', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Vote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('choice', models.CharField(choices=[('for', 'for'), ('against', 'against'), ('abstain', 'abstention')], max_length=10, verbose_name='vote')),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='votes', to='fund.fundapplication', verbose_name='application')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='votes', to='fund.jurymember', verbose_name='jury member')),
                    ],
                    options={
                        'verbose_name': 'vote',
                        'verbose_name_plural': 'votes',
                        'ordering': ['application', 'member'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='call',
                    constraint=models.CheckConstraint(condition=models.Q(('deadline__gt', models.F('opens_at'))), name='initiatives_call_deadline_after_open'),
                ),
                migrations.AddConstraint(
                    model_name='fundapplication',
                    constraint=models.CheckConstraint(condition=models.Q(('planned_end__isnull', True), ('planned_start__isnull', True), ('planned_end__gte', models.F('planned_start')), _connector='OR'), name='initiatives_fundapp_dates', violation_error_message='The end cannot be before the start.'),
                ),
                migrations.AddConstraint(
                    model_name='costline',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='initiatives_costline_positive'),
                ),
                migrations.AddConstraint(
                    model_name='fundentry',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('amount__gt', 0), ('corrects__isnull', True)), models.Q(('corrects__isnull', False), models.Q(('amount', 0), _negated=True), models.Q(('reason', ''), _negated=True)), _connector='OR'), name='initiatives_fundentry_sign_reason'),
                ),
                migrations.AddConstraint(
                    model_name='jurymember',
                    constraint=models.UniqueConstraint(fields=('fund', 'user'), name='initiatives_jurymember_once'),
                ),
                migrations.AddConstraint(
                    model_name='jurymember',
                    constraint=models.CheckConstraint(condition=models.Q(('term_until__gte', models.F('term_from'))), name='initiatives_jurymember_term'),
                ),
                migrations.AddConstraint(
                    model_name='vote',
                    constraint=models.UniqueConstraint(fields=('application', 'member'), name='initiatives_vote_once'),
                ),
            ],
        ),
    ]
