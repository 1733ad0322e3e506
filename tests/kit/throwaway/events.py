from django.db import models


class ThrowawayEvent(models.IntegerChoices):
    THING_DONE = 9900, "Throwaway thing done"
