# Skills, agents' routing profiles (skills, experience, last seen) and routing decisions per contact.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contacts', '0004_event_kinds_for_assist'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Skill',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=120, verbose_name='naam')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'vaardigheid',
                'verbose_name_plural': 'vaardigheden',
                'ordering': ['name', 'id'],
                'permissions': [('manage_skills', "Set skills and experience of the agents in one's own team; add skills"), ('manage_skills_all_teams', 'Set skills and experience of agents in every team'), ('route_contact', 'Run routing for a contact again')],
            },
        ),
        migrations.CreateModel(
            name='RoutingDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(choices=[('assigned', 'Toegewezen op vaardigheid'), ('flagged', 'In de wachtrij met vlag')], max_length=10)),
                ('skills', models.JSONField(default=list)),
                ('experience', models.PositiveSmallIntegerField(choices=[(1, 'Junior'), (2, 'Medior'), (3, 'Senior')], default=1)),
                ('needs', models.JSONField(default=list)),
                ('flags', models.JSONField(default=list)),
                ('why', models.TextField()),
                ('decided_at', models.DateTimeField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('agent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('contact', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='routing', to='contacts.contact')),
            ],
            options={
                'verbose_name': 'routeringsbeslissing',
                'ordering': ['-decided_at', '-id'],
                'indexes': [models.Index(fields=['outcome', '-decided_at'], name='routing_decision_outcome')],
                'constraints': [models.CheckConstraint(condition=models.Q(('outcome__in', ['assigned', 'flagged'])), name='routing_outcome_valid')],
            },
        ),
        migrations.CreateModel(
            name='RoutingProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('experience', models.PositiveSmallIntegerField(choices=[(1, 'Junior'), (2, 'Medior'), (3, 'Senior')], default=1, verbose_name='ervaring')),
                ('last_seen_at', models.DateTimeField(blank=True, null=True)),
                ('last_routed_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='routing', to=settings.AUTH_USER_MODEL)),
                ('skills', models.ManyToManyField(blank=True, related_name='profiles', to='routing.skill', verbose_name='vaardigheden')),
            ],
            options={
                'verbose_name': 'routeringsprofiel',
                'ordering': ['user__username'],
                'indexes': [models.Index(fields=['last_seen_at'], name='routing_profile_seen')],
                'constraints': [models.CheckConstraint(condition=models.Q(('experience__in', [1, 2, 3])), name='routing_experience_valid')],
            },
        ),
    ]
