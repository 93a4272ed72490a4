/*
 * The risk-model loader (itorisk audit --model FILE), which reads a path: the
 * input goes to a temporary file. A model that loads is then used for a full
 * audit of samples/bank and every report, so its thresholds, severities,
 * country lists and cut-set order reach the analyses.
 */
#include "fuzz.h"

#include "itorisk/riskmodel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const itr_model *bank;
	itr_riskmodel *rm = NULL;
	itr_diags d;

	if (size > FUZZ_MAX_INPUT)
		return -1;
	fuzz_setup();
	bank = fuzz_bank();
	itr_diags_init(&d);
	if (itr_riskmodel_load(&rm, fuzz_tmpfile(data, size), &d) == 0)
		fuzz_audit(bank, rm);
	else
		fuzz_diags(&d);
	itr_riskmodel_free(rm);
	itr_diags_release(&d);
	return 0;
}
