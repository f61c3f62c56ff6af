import type { Services } from '../services/services';
import type { PapersView } from '../views/papersTree';
import type { PaperDetailPanels } from '../webview/detailPanel';

/** What commands act on: the shared services and the views they drive (commands sit above both). */
export interface Workbench extends Services {
  readonly papersView: PapersView;
  readonly detailPanels: PaperDetailPanels;
}
