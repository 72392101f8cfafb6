from django.db import models


class Fortune(models.Model):
    """The table `mysite migrate` creates; Django only reads it."""
    message = models.CharField(max_length=2048)

    class Meta:
        db_table = "fortune"
        managed = False
