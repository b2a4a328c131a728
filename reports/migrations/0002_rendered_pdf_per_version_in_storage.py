# The kept PDF moves from a column of the database to a file in storage, one per plan
# version, drafts too. The PDFs kept so far are not carried over: each is rendered again,
# by the task worker, the first time it is asked for.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0006_swedish_constraint_messages_and_labels'),
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.DeleteModel(name='RenderedPlan'),
        migrations.CreateModel(
            name='RenderedPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('plan_version', models.PositiveIntegerField(verbose_name='planens version')),
                ('status', models.CharField(choices=[('pending', 'skapas'), ('ready', 'klar'), ('failed', 'misslyckades')], default='pending', max_length=10, verbose_name='status')),
                ('pdf', models.FileField(blank=True, upload_to='plans/', verbose_name='PDF')),
                ('requested_at', models.DateTimeField(verbose_name='begärd')),
                ('rendered_at', models.DateTimeField(blank=True, null=True, verbose_name='skapad')),
                ('render_seconds', models.FloatField(blank=True, null=True, verbose_name='sekunder att skapa')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rendered_pdfs', to='budgets.plan', verbose_name='plan')),
            ],
            options={
                'verbose_name': 'sparad PDF',
                'verbose_name_plural': 'sparade PDF:er',
                'constraints': [models.UniqueConstraint(fields=('plan', 'plan_version'), name='rendered_plan_once_per_version')],
            },
        ),
    ]
