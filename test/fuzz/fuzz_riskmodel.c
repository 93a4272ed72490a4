/*
 * The risk-model loader (itorisk audit --model FILE), which reads a path: the
 * input goes to a temporary file. A model that loads is then used for a full
 * audit of samples/bank and every report, so its thresholds, severities,
 * country lists and cut-set order reach the analyses.
 */
#include "fuzz.h"

#include "itorisk/riskmodel.h"

/* samples/bank, loaded once and kept for the whole process. */
static itr_model *bank;

static void load_bank(void)
{
	itr_source src = {ITR_SOURCE_DIR "/samples/bank", NULL, 0};
	itr_diags d;

	itr_diags_init(&d);
	if (itr_load(&bank, &src, 1, NULL, &d) != 0) {
		itr_diags_print(&d, stderr);
		abort();
	}
	itr_diags_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	itr_riskmodel *rm = NULL;
	itr_diags d;

	if (size > FUZZ_MAX_INPUT)
		return -1;
	fuzz_setup();
	if (!bank)
		load_bank();
	itr_diags_init(&d);
	if (itr_riskmodel_load(&rm, fuzz_tmpfile(data, size), &d) == 0)
		fuzz_audit(bank, rm);
	else
		fuzz_diags(&d);
	itr_riskmodel_free(rm);
	itr_diags_release(&d);
	return 0;
}
