#include "domain/calendar/work_calendar.h"
