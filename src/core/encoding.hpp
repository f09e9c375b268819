// Encoding, one header per job (text, percent-encoding, base64, URLs, dates,
// numbers): one implementation of each for every provider. Include the one
// you need; this header includes them all.
#pragma once

#include "core/base64.hpp"
#include "core/dates.hpp"
#include "core/numbers.hpp"
#include "core/percent.hpp"
#include "core/text.hpp"
#include "core/url.hpp"
